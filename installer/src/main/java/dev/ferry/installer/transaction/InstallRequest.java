package dev.ferry.installer.transaction;

import dev.ferry.bundle.VerifiedHead;
import java.nio.file.Path;
import java.util.Set;

/**
 * An {@code install} or {@code reinstall}.
 *
 * @param head the bundle's head, verified: names the agent and feeds preflight before the payload is verified
 * @param reinstall true for {@code reinstall}: the bundle must be the installed release, which is replaced whole
 * @param ignorePreflight check ids whose failure becomes a warning ({@code --ignore-preflight})
 */
public record InstallRequest(
        Path bundle,
        VerifiedHead head,
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
