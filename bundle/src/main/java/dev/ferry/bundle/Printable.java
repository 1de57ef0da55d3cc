package dev.ferry.bundle;

/**
 * Names from a bundle are untrusted: before they go into a one-line message they lose control characters and
 * excessive length, so a hostile entry name cannot forge or flood the technician's terminal.
 */
final class Printable {
    private static final int MAX = 200;

    private Printable() {}

    static String quote(String text) {
        if (text == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder("'");
        int limit = Math.min(text.length(), MAX);
        for (int i = 0; i < limit; i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || Character.isSurrogate(c)) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        if (text.length() > MAX) {
            out.append("...");
        }
        return out.append('\'').toString();
    }
}
