package dev.ferry.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19 item 3, played for real: root runs install, register and reinstall under {@code umask 000}. Before, the
 * runtime folders became 0777 and the log and lock 0666, and an unprivileged user replaced {@code runtime/bin/agent}
 * that root's next {@code register} started as root. Now every folder and file the installer creates has its own
 * mode: nothing under the root is writable by another account, and the attacker's attempts all fail.
 */
@Tag("slow")
class UmaskZeroTest {
    @TempDir
    Path work;

    @Test
    void underUmask000NothingTheInstallerCreatesIsWritableByOthers() throws Exception {
        try (InstallerFixture fx = new InstallerFixture(work, "process")) {
            Path bundle = fx.bundle(InstallerFixture.BundleOptions.of("1.0.0", 1));
            Attacker.canReach(fx.root);
            Path token = work.resolve("new.token");
            Instant now = Instant.now();
            Files.writeString(
                    token,
                    InstallerFixture.jwt("tok-new", now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(20))));

            ok(umask000(
                    fx,
                    "install",
                    "--bundle",
                    bundle.toString(),
                    "--trust",
                    fx.trustPem.toString(),
                    "--skip-selftest"));
            ok(umask000(fx, "register", "--token", token.toString(), "--skip-selftest"));
            ok(umask000(
                    fx,
                    "reinstall",
                    "--bundle",
                    bundle.toString(),
                    "--trust",
                    fx.trustPem.toString(),
                    "--skip-selftest"));

            assertThat(writableByOthers(fx.root))
                    .as("files and folders another account could write")
                    .isEmpty();
            assertThat(mode(fx.configDir().resolve("token"))).isEqualTo("rw-------");
            assertThat(mode(fx.configDir())).isEqualTo("rwxr-x---");
            assertThat(mode(fx.release().toRealPath())).isEqualTo("rwxr-xr-x");
            assertThat(mode(fx.release().resolve("runtime/bin/agent"))).isEqualTo("rwxr-xr-x");
            assertThat(mode(fx.logDir().resolve("install.log"))).isEqualTo("rw-r-----");
            assertThat(mode(fx.logDir().resolve("agent.log"))).isEqualTo("rw-r-----");
            assertThat(mode(fx.root.resolve("var/lib/ferry/.lock"))).isEqualTo("rw-r--r--");
            assertThat(mode(fx.dataDir().resolve("state.json"))).isEqualTo("rw-r--r--");

            Path agent = fx.release().resolve("runtime/bin/agent");
            String original = Files.readString(agent);
            Programs.Run replace = Attacker.run(
                    "sh",
                    "-c",
                    "echo 'id > /tmp/pwned' > \"$0\" || "
                            + "{ mv -f \"$0\" \"$0.old\" && echo evil > \"$0\"; } || ln -sf /bin/true \"$(dirname \"$0\")/agent2\"",
                    agent.toString());
            assertThat(replace.exitCode()).as(replace.toString()).isNotZero();
            assertThat(agent).hasContent(original);
            assertThat(agent.resolveSibling("agent2")).doesNotExist();
            Programs.Run log = Attacker.run(
                    "sh",
                    "-c",
                    "echo forged >> \"$0\"",
                    fx.logDir().resolve("install.log").toString());
            assertThat(log.exitCode()).as(log.toString()).isNotZero();
        }
    }

    private static Programs.Run umask000(InstallerFixture fx, String... args) {
        Map<String, String> env = new HashMap<>(Map.of(
                "HOME",
                fx.home.toString(),
                "TMPDIR",
                fx.tmp.toString(),
                "FERRY_JAVA_OPTS",
                "-Djava.io.tmpdir=" + fx.tmp));
        List<String> cmd = new ArrayList<>(List.of(
                "sh",
                "-c",
                "umask 000 && exec \"$@\"",
                "sh",
                Programs.REPO.resolve("bin/installer").toString()));
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("--root", fx.root.toString(), "--service-manager", fx.serviceManager));
        return Programs.run(env, cmd.toArray(String[]::new));
    }

    private static void ok(Programs.Run run) {
        assertThat(run.exitCode()).as(run.toString()).isZero();
    }

    /** Everything under {@code root} (links excluded: their mode means nothing) that group or others may write. */
    private static List<String> writableByOthers(Path root) throws Exception {
        List<String> loose = new ArrayList<>();
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                if (Files.isSymbolicLink(p)) {
                    continue;
                }
                int unixMode = (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
                if ((unixMode & 0022) != 0) {
                    loose.add(root.relativize(p) + " " + Integer.toOctalString(unixMode & 07777));
                }
            }
        }
        return loose;
    }

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
    }
}
