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
    /** Far beyond any real runtime; keeps one hostile name from costing much. */
    public static final int MAX_PATH_BYTES = 4096;
    /** Paths sort by their UTF-8 bytes, unsigned: the order of {@code files} and of the payload entries. */
    public static final Comparator<String> ORDER =
            (a, b) -> Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));

    private PayloadPaths() {}

    /** Why {@code path} is not a safe payload path, or null when it is. */
    public static String problem(String path) {
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
        for (String segment : path.split("/", -1)) {
            if (segment.isEmpty()) {
                return "empty segment ('//') in path";
            }
            if (segment.equals(".") || segment.equals("..")) {
                return "'" + segment + "' segment in path";
            }
        }
        if (!Normalizer.isNormalized(path, Normalizer.Form.NFC)) {
            return "path is not Unicode NFC";
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
