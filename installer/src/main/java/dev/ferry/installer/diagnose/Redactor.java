package dev.ferry.installer.diagnose;

import dev.ferry.profiles.Redaction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces secrets in text, one line at a time (stateful across the lines of a PEM private key block): the exact
 * secrets given (and each long line of a multi-line one), values of keys named like password/secret/token/
 * passphrase/private key, passwords in URLs, bearer/basic credentials, JWTs and PEM private keys.
 * Lines are ISO-8859-1 strings so any byte sequence passes through unchanged except what is redacted.
 */
final class Redactor {
    static final String REDACTED = "<redacted>";
    private static final Pattern PEM_BEGIN = Pattern.compile("-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----");
    private static final Pattern PEM_END = Pattern.compile("-----END [A-Z0-9 ]*PRIVATE KEY-----");
    // The password runs to the last '@' of the word: it may hold '@' and '/' itself.
    private static final Pattern URL_PASSWORD = Pattern.compile("(?i)\\b([a-z][a-z0-9+.-]*://[^/\\s:@]*):(\\S+)@");
    /** A proxy variable's value, with or without {@code export} and quotes: redacted whatever form it takes. */
    private static final Pattern PROXY_VARIABLE =
            Pattern.compile("(?i)^(\\s*(?:export\\s+)?[a-z0-9_]*proxy\\s*=\\s*[\"']?)([^\"'\\s]*)");

    private static final Pattern AUTH_SCHEME = Pattern.compile("(?i)\\b(bearer|basic)\\s+[A-Za-z0-9._~+/=-]{8,}");
    private static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]+\\.eyJ[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*");
    // A dotted sub-key of a secret's name (token.notAfter, token.id) is a fact about it, not the secret: kept.
    private static final Pattern SECRET_KEY = Pattern.compile(
            "(?i)([A-Za-z0-9_.-]*(?:password|passwd|secret|token|passphrase|private[_-]?key|api[_-]?key)"
                    + "[A-Za-z0-9_-]*)([\"']?\\s*[:=]\\s*)");
    private static final Pattern PATH_LIKE_KEY = Pattern.compile("(?i).*(file|path|dir)");

    private final List<String> secrets;
    private boolean inPemBlock;

    Redactor(List<String> secretContents) {
        this.secrets = prepare(secretContents);
    }

    private Redactor(List<String> preparedSecrets, boolean prepared) {
        this.secrets = preparedSecrets;
    }

    private static List<String> prepare(List<String> secretContents) {
        Set<String> all = new LinkedHashSet<>();
        for (String secret : secretContents) {
            if (secret == null) {
                continue;
            }
            String latin1 = new String(secret.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
            String whole = latin1.strip();
            if (!whole.isEmpty()) {
                all.add(whole);
            }
            for (String line : latin1.split("\\R")) {
                if (line.strip().length() >= 8) {
                    all.add(line.strip());
                }
            }
        }
        List<String> sorted = new ArrayList<>(all);
        // Longest first, so a secret that contains another is replaced whole.
        sorted.sort(Comparator.comparingInt(String::length).reversed());
        return List.copyOf(sorted);
    }

    /** A fresh redactor with the same secrets, for the next file (no PEM state carried over). */
    Redactor fresh() {
        return new Redactor(secrets, true);
    }

    /** The line redacted, or null when the whole line is inside a private key block and is dropped. */
    String line(String line) {
        String s = line;
        if (inPemBlock) {
            Matcher end = PEM_END.matcher(s);
            if (!end.find()) {
                return null;
            }
            inPemBlock = false;
            s = s.substring(end.end());
        }
        s = pem(s);
        for (String secret : secrets) {
            s = s.replace(secret, REDACTED);
        }
        s = URL_PASSWORD.matcher(s).replaceAll("$1:" + REDACTED + "@");
        Matcher proxy = PROXY_VARIABLE.matcher(s);
        if (proxy.find()) {
            s = proxy.group(1) + Redaction.url(proxy.group(2)) + s.substring(proxy.end());
        }
        s = AUTH_SCHEME.matcher(s).replaceAll("$1 " + REDACTED);
        s = JWT.matcher(s).replaceAll(REDACTED);
        return keyValues(s);
    }

    String text(String text) {
        StringBuilder out = new StringBuilder();
        for (String l : text.split("\n", -1)) {
            String r = line(l);
            if (r != null) {
                out.append(r).append('\n');
            }
        }
        return out.substring(0, Math.max(0, out.length() - 1));
    }

    private String pem(String s) {
        StringBuilder out = new StringBuilder();
        String rest = s;
        while (true) {
            Matcher begin = PEM_BEGIN.matcher(rest);
            if (!begin.find()) {
                return out.append(rest).toString();
            }
            out.append(rest, 0, begin.start()).append(REDACTED);
            Matcher end = PEM_END.matcher(rest);
            if (!end.find(begin.end())) {
                inPemBlock = true;
                return out.toString();
            }
            rest = rest.substring(end.end());
        }
    }

    private static String keyValues(String s) {
        Matcher m = SECRET_KEY.matcher(s);
        StringBuilder out = new StringBuilder();
        int at = 0;
        while (m.find(at)) {
            int valueStart = m.end();
            out.append(s, at, valueStart);
            if (PATH_LIKE_KEY.matcher(m.group(1)).matches() || valueStart >= s.length()) {
                at = valueStart;
                continue;
            }
            char first = s.charAt(valueStart);
            if (first == '"' || first == '\'') {
                int close = s.indexOf(first, valueStart + 1);
                if (close < 0) {
                    out.append(first).append(REDACTED);
                    return out.toString();
                }
                out.append(first).append(REDACTED).append(first);
                at = close + 1;
            } else {
                out.append(REDACTED);
                return out.toString();
            }
        }
        return out.append(s.substring(at)).toString();
    }
}
