package dev.ferry.installer.transaction;

import java.nio.file.Path;
import java.util.Set;

/**
 * An {@code install} or {@code reinstall} of the bundle at {@code bundle}; nothing the bundle says is known here; the
 * transaction verifies its head under the host lock before it uses any of it.
 */
public record InstallRequest(Path bundle, Mode mode, PreflightOptions preflight, SelfTestPolicy selfTests) {
    public enum Mode {
        /** A first install or an upgrade; the installed release again is a no-op. */
        INSTALL,
        /** The installed release again, replaced whole: repairs drift, re-renders config, keeps data. */
        REINSTALL;

        String action() {
            return this == INSTALL ? "install" : "reinstall";
        }
    }

    /**
     * @param ignore check ids whose failure becomes a warning ({@code --ignore-preflight})
     * @param allowDowngrade {@code --allow-downgrade}: a lower sequence than installed is a warning, not a refusal
     */
    public record PreflightOptions(Set<String> ignore, boolean allowDowngrade) {
        public PreflightOptions {
            ignore = Set.copyOf(ignore);
        }
    }
}
