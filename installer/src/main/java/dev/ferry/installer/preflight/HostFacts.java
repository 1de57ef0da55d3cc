package dev.ferry.installer.preflight;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * What the {@code os} and {@code privileges} checks look at, read once from the running host (a record, so tests
 * can describe another host).
 *
 * @param admin true for root / Administrator, false for anyone else, null when it cannot be told
 */
public record HostFacts(String osName, String osVersion, String arch, Boolean admin) {
    public static HostFacts current() {
        return new HostFacts(System.getProperty("os.name", "unknown"), System.getProperty("os.version", "unknown"),
                System.getProperty("os.arch", "unknown"), detectAdmin());
    }

    /** linux, windows, macos or the raw name in lower case: the words {@code prerequisites.os} uses. */
    public String family() {
        String n = osName.toLowerCase(Locale.ROOT);
        if (n.startsWith("linux")) {
            return "linux";
        }
        if (n.startsWith("windows")) {
            return "windows";
        }
        if (n.startsWith("mac")) {
            return "macos";
        }
        return n.replace(' ', '-');
    }

    private static Boolean detectAdmin() {
        Path self = Path.of("/proc/self");
        try {
            if (Files.exists(self)) {
                return ((Integer) Files.getAttribute(self, "unix:uid")) == 0;
            }
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return null;
        }
        // Windows: an elevated process may write the system-wide service key's folder; without JNI this is the
        // nearest JDK-only signal. Unknown elsewhere.
        String windir = System.getenv("SystemRoot");
        if (windir != null) {
            return Files.isWritable(Path.of(windir, "System32", "config", "systemprofile"));
        }
        return null;
    }
}
