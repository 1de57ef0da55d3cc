package dev.ferry.common;

/**
 * The one sanitiser for text from outside (bundle fields and entry names, network answers, file names, profile
 * values): before such text reaches a terminal, a log line or a JSON document it loses what could drive a terminal
 * or hide what is shown, and excessive length. A hostile proxy answer or manifest field cannot clear the screen,
 * move the cursor, forge a line or reverse the text around it.
 *
 * <p>Escaped as {@code \}{@code uXXXX}: C0 controls (newline and tab too: one value, one line), DEL, C1 controls
 * (0x80-0x9f, which some terminals read as CSI), Unicode format characters (bidirectional overrides and isolates,
 * zero-width characters), line and paragraph separators, and lone surrogates. Everything else, any script, passes.
 */
public final class Sanitizer {
    /** The default cap for one value in a message. */
    public static final int MAX = 200;

    private Sanitizer() {}

    /** {@code text} made printable and cut at {@link #MAX} characters ("..." marks the cut); "null" for null. */
    public static String printable(String text) {
        return printable(text, MAX);
    }

    /** As {@link #printable(String)} with its own cap, for longer evidence (a proxy's answer, a log line). */
    public static String printable(String text, int max) {
        if (text == null) {
            return "null";
        }
        int limit = Math.min(text.length(), max);
        StringBuilder out = null;
        for (int i = 0; i < limit; i++) {
            char c = text.charAt(i);
            boolean pair = Character.isHighSurrogate(c)
                    && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1));
            if (pair) {
                int code = text.codePointAt(i);
                if (unsafe(code)) {
                    out = started(out, text, i)
                            .append(String.format("\\u%04x\\u%04x", (int) c, (int) text.charAt(i + 1)));
                } else if (out != null) {
                    out.append(c).append(text.charAt(i + 1));
                }
                i++;
            } else if (unsafe(c)) {
                out = started(out, text, i).append(String.format("\\u%04x", (int) c));
            } else if (out != null) {
                out.append(c);
            }
        }
        if (out == null && text.length() <= max) {
            return text;
        }
        if (out == null) {
            out = new StringBuilder(text.substring(0, limit));
        }
        return text.length() > max ? out.append("...").toString() : out.toString();
    }

    /** {@link #printable(String)} between single quotes, for naming a value in a one-line message. */
    public static String quote(String text) {
        return text == null ? "null" : "'" + printable(text) + "'";
    }

    /** Whether {@code text} would pass unchanged (no cap applied). */
    public static boolean isPrintable(String text) {
        return text != null && text.codePoints().noneMatch(Sanitizer::unsafe);
    }

    private static StringBuilder started(StringBuilder out, String text, int upTo) {
        return out != null ? out : new StringBuilder(text.length() + 16).append(text, 0, upTo);
    }

    /**
     * Whether one character (or code point) is one this class escapes: what the JSON output escapes as well, so a
     * document printed raw by a script cannot drive a terminal either.
     */
    public static boolean unsafe(int code) {
        if (code < 0x20 || code == 0x7f || code >= 0x80 && code < 0xa0) {
            return true;
        }
        int type = Character.getType(code);
        return type == Character.FORMAT
                || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR
                || type == Character.SURROGATE;
    }
}
