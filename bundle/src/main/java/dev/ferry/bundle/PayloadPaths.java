package dev.ferry.bundle;

import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Set;

/**
 * The rules for payload paths and modes, shared by the manifest codec, the writer and the verifier so that the
 * writer can never emit what the verifier refuses. A path is safe when an installer can join it to a staging folder
 * on Linux or Windows without leaving it or colliding with another file.
 */
public final class PayloadPaths {
    /** The modes a payload file may carry: no setuid/setgid/sticky, never group- or world-writable. */
    public static final Set<String> MODES = Set.of("0644", "0755", "0600", "0640", "0700", "0750");
    /** The mode of every secret file: the token, the proxy password, the binding key. */
    public static final String SECRET_MODE = "0600";
    /** Far beyond any real runtime; keeps one hostile name from costing much. */
    public static final int MAX_PATH_BYTES = 4096;
    /** Paths sort by their UTF-8 bytes, unsigned: the order of {@code files} and of the payload entries. */
    public static final Comparator<String> ORDER = PayloadPaths::compareUtf8;

    private PayloadPaths() {}

    /**
     * As comparing the UTF-8 bytes, unsigned, without encoding: outside surrogates, UTF-16 units sort as code points,
     * and code points sort as their UTF-8 bytes. A bundle's manifest is checked in this order for every one of its
     * thousands of files, before the first payload byte is read.
     */
    private static int compareUtf8(String a, String b) {
        int common = Math.min(a.length(), b.length());
        for (int i = 0; i < common; i++) {
            char x = a.charAt(i);
            char y = b.charAt(i);
            if (x != y) {
                if (Character.isSurrogate(x) || Character.isSurrogate(y)) {
                    return Arrays.compareUnsigned(
                            a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
                }
                return Character.compare(x, y);
            }
        }
        return Integer.compare(a.length(), b.length());
    }

    /** Why {@code path} is not a safe payload path, or null when it is. */
    public static String problem(String path) {
        return path != null && !path.isEmpty() && isPlainAscii(path) ? plainProblem(path) : anyProblem(path);
    }

    /** Printable ASCII without a backslash: most paths, always NFC, one byte per character. */
    private static boolean isPlainAscii(String path) {
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c < 0x20 || c > 0x7e || c == '\\') {
                return false;
            }
        }
        return true;
    }

    /** {@link #anyProblem}'s checks that can fail for a plain ASCII path, in the same order and words. */
    private static String plainProblem(String path) {
        if (path.length() > MAX_PATH_BYTES) {
            return "path longer than " + MAX_PATH_BYTES + " bytes";
        }
        if (path.startsWith("/")) {
            return "absolute path";
        }
        if (!path.startsWith(BundleLayout.PAYLOAD)) {
            return "not under " + BundleLayout.PAYLOAD;
        }
        if (path.endsWith("/")) {
            return "trailing '/' (directories are not entries)";
        }
        return segmentProblem(path);
    }

    /** Every rule, for any path: also what {@link #plainProblem} must agree with (PayloadPathsTest). */
    static String anyProblem(String path) {
        if (path == null || path.isEmpty()) {
            return "empty path";
        }
        if (path.getBytes(StandardCharsets.UTF_8).length > MAX_PATH_BYTES) {
            return "path longer than " + MAX_PATH_BYTES + " bytes";
        }
        if (path.indexOf('\\') >= 0) {
            return "backslash in path";
        }
        if (path.startsWith("/")) {
            return "absolute path";
        }
        if (!path.startsWith(BundleLayout.PAYLOAD)) {
            return "not under " + BundleLayout.PAYLOAD;
        }
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0)) {
                return "control character in path";
            }
            if (Character.isSurrogate(c)
                    && !(Character.isHighSurrogate(c)
                            && i + 1 < path.length()
                            && Character.isLowSurrogate(path.charAt(i + 1)))
                    && !(Character.isLowSurrogate(c) && i > 0 && Character.isHighSurrogate(path.charAt(i - 1)))) {
                return "invalid Unicode in path";
            }
        }
        if (path.endsWith("/")) {
            return "trailing '/' (directories are not entries)";
        }
        String segments = segmentProblem(path);
        if (segments != null) {
            return segments;
        }
        if (!Normalizer.isNormalized(path, Normalizer.Form.NFC)) {
            return "path is not Unicode NFC";
        }
        return null;
    }

    /** An empty, "." or ".." segment between slashes (the path neither starts nor ends with one). */
    private static String segmentProblem(String path) {
        for (int start = 0; start <= path.length(); ) {
            int end = path.indexOf('/', start);
            if (end < 0) {
                end = path.length();
            }
            int length = end - start;
            if (length == 0) {
                return "empty segment ('//') in path";
            }
            if (path.charAt(start) == '.' && (length == 1 || length == 2 && path.charAt(start + 1) == '.')) {
                return "'" + path.substring(start, end) + "' segment in path";
            }
            start = end + 1;
        }
        return null;
    }

    /** Why {@code mode} is not an allowed payload mode, or null when it is. */
    public static String modeProblem(String mode) {
        return MODES.contains(mode)
                ? null
                : "mode " + Printable.quote(mode) + " is not one of "
                        + String.join(", ", MODES.stream().sorted().toList());
    }

    public static int modeBits(String mode) {
        return Integer.parseInt(mode, 8);
    }
}
