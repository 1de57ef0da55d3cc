package dev.ferry.installer.transaction;

import java.nio.file.Path;
import java.util.Set;

/**
 * An {@code install} or {@code reinstall}.
 *
 * @param reinstall true for {@code reinstall}: the bundle must be the installed release, which is replaced whole
 * @param ignorePreflight check ids whose failure becomes a warning ({@code --ignore-preflight})
 */
public record InstallRequest(
        Path bundle,
        boolean reinstall,
        Set<String> ignorePreflight,
        boolean allowDowngrade,
        boolean keepOnSelftestFailure,
        boolean skipSelftest) {
    public InstallRequest {
        ignorePreflight = Set.copyOf(ignorePreflight);
    }

    String action() {
        return reinstall ? "reinstall" : "install";
    }
}
