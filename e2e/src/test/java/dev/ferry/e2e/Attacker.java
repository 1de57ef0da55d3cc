package dev.ferry.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A local account with no privileges (uid and gid 65534, no supplementary groups), as issue 19's reviewer used:
 * every command runs through {@code setpriv --reuid=65534 --regid=65534 --clear-groups}.
 */
final class Attacker {
    static final int UID = 65534;

    private Attacker() {}

    static List<String> command(String... command) {
        List<String> all = new ArrayList<>(List.of("setpriv", "--reuid=" + UID, "--regid=" + UID, "--clear-groups"));
        all.addAll(List.of(command));
        return all;
    }

    static Programs.Run run(String... command) {
        return Programs.run(Map.of(), command(command).toArray(String[]::new));
    }

    /** The test's folders above the root opened to everyone (0755), as /opt, /etc and /var are on a real host. */
    static void canReach(Path root) {
        try {
            for (Path p = root; p != null && !p.equals(Path.of("/tmp")) && p.getNameCount() > 0; p = p.getParent()) {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A folder the attacker may write its own notes into. */
    static Path notebook(Path dir) {
        try {
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
