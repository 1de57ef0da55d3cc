package dev.ferry.installer.preflight;

import dev.ferry.installer.host.OperatingSystem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the {@code os} and {@code privileges} checks look at, read once from the running host (a record, so tests
 * can describe another host).
 *
 * @param admin true for root / Administrator, false for anyone else, null when it cannot be told
 */
public record HostFacts(OperatingSystem os, Boolean admin) {
    public static HostFacts current() {
        return new HostFacts(OperatingSystem.current(), detectAdmin());
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
