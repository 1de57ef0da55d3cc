package dev.ferry.installer.host;

import dev.ferry.common.ExitCode;
import dev.ferry.common.FerryException;
import dev.ferry.common.files.PathChecks;
import dev.ferry.common.files.UnsafePathException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;

/**
 * Before a transaction writes anything, under the host lock: every folder and file of the agent's layout, from the
 * layout roots ({@code /opt/ferry}, {@code /etc/ferry}, {@code /var/lib/ferry}, {@code /var/log/ferry}) down, is
 * looked at with {@code lstat}: none may be a link (but {@code current}, which must be one), and none may be
 * writable by another account. The host's folders above the roots may be links, but not writable by others
 * (unless sticky, like {@code /tmp}). Once this holds, only root can change those folders, so no link can be planted
 * between this check and the writes that follow; the writes themselves never follow one either.
 */
public final class LayoutGuard {
    private LayoutGuard() {}

    /** Refuses (exit 4, nothing changed) with one line naming the path, the reason and the fix. */
    public static void check(HostPaths paths) {
        try {
            for (Path[] rootAndPath : List.of(
                    tree(paths.installBase(), paths.releasesDir()),
                    tree(paths.configDir(), paths.tokenFile()),
                    tree(paths.configDir(), paths.proxyPasswordFile()),
                    tree(paths.configDir(), paths.proxyEnvFile()),
                    tree(paths.configDir(), paths.platformCaFile()),
                    tree(paths.dataDir(), paths.stateFile()),
                    tree(paths.dataDir(), paths.configBackup()),
                    tree(paths.dataDir(), paths.serviceStateDir()),
                    tree(paths.logDir(), paths.installLog()))) {
                Path root = rootAndPath[0];
                PathChecks.hostFolders(root);
                PathChecks.ownTree(root, rootAndPath[1]);
            }
            Path current = paths.current();
            if (Files.exists(current, LinkOption.NOFOLLOW_LINKS) && !Files.isSymbolicLink(current)) {
                throw new UnsafePathException(
                        current,
                        "it should be the link to the active release, but is not a link",
                        "move it aside, then run this again");
            }
        } catch (UnsafePathException e) {
            throw new FerryException(ExitCode.PREFLIGHT, e.getMessage() + " (nothing changed)", e);
        }
    }

    /** The layout root above an agent folder ({@code /etc/ferry} for {@code /etc/ferry/NAME}) and a path under it. */
    private static Path[] tree(Path agentFolder, Path path) {
        return new Path[] {agentFolder.getParent(), path};
    }
}
