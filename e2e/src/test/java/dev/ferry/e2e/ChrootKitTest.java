package dev.ferry.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 21 "Robust writes", played as an image builder would: a kit installed by {@code sh KIT.run install} inside
 * {@code chroot} of a minimal root, with {@code /proc} mounted in it. The chroot's mount table does not list its
 * root, so anything that asks the JDK for a file store fails with "Mount point not found" (version 1 died there with
 * "internal error ... cannot write state.json"). The root is built from this machine's own binaries and libraries
 * (debootstrap would download a Debian base; the kit needs only sh and a few coreutils, listed in NoJavaHost).
 */
@Tag("slow")
class ChrootKitTest {
    @TempDir
    Path work;

    @Test
    void aKitInstallsInsideAChrootOfAMinimalRoot() throws Exception {
        NoJavaHost.assumeImagesBuilt();
        Path kit = kit();
        Path root = work.resolve("minimal-root");
        Path script = work.resolve("minimal-root.sh");
        Files.copy(ChrootKitTest.class.getResourceAsStream("/chroot/minimal-root.sh"), script);
        List<String> build = new ArrayList<>(List.of(
                "sh",
                script.toString(),
                root.toString(),
                NoJavaHost.IMAGES.resolve("installer").toString()));
        build.addAll(NoJavaHost.TOOLS);
        ok(Programs.run(Map.of(), build.toArray(String[]::new)));
        Files.copy(kit, root.resolve("agent.kit.run"));
        assertThat(root.resolve("usr/bin/java")).doesNotExist();

        boolean proc = Programs.run(
                                Map.of(),
                                "mount",
                                "-t",
                                "proc",
                                "proc",
                                root.resolve("proc").toString())
                        .exitCode()
                == 0;
        try {
            Programs.Run mounts = inChroot(root, "cat", "/proc/self/mounts");
            if (proc) {
                assertThat(mounts.stdout())
                        .as("the chroot's mount table does not list its root")
                        .doesNotContainPattern("(?m)^\\S+ / ");
            }
            Programs.Run install =
                    inChroot(root, "sh", "/agent.kit.run", "install", "--service-manager", "none", "--skip-selftest");
            assertThat(install.exitCode()).as(install.toString()).isZero();
            assertThat(install.stderr() + install.stdout()).doesNotContain("internal error", "Mount point not found");

            Path state = root.resolve("var/lib/ferry/certinext-bot/state.json");
            assertThat(Files.readString(state)).contains("\"release\" : \"1.4.2-");
            assertThat(mode(root.resolve("etc/ferry/certinext-bot/token"))).isEqualTo("rw-------");
            assertThat(root.resolve("opt/ferry/certinext-bot/current/runtime")).isDirectory();

            Programs.Run again =
                    inChroot(root, "sh", "/agent.kit.run", "install", "--service-manager", "none", "--skip-selftest");
            assertThat(again.exitCode()).as(again.toString()).isZero();
            assertThat(again.stdout() + again.stderr()).contains("already installed");
        } finally {
            if (proc) {
                Programs.run(Map.of(), "umount", root.resolve("proc").toString());
            }
        }
    }

    private static Programs.Run inChroot(Path root, String... command) {
        List<String> all = new ArrayList<>(List.of("/usr/sbin/chroot", root.toString()));
        all.addAll(List.of(command));
        return Programs.run(
                true, Map.of("PATH", "/usr/bin", "TMPDIR", "/tmp", "HOME", "/tmp"), null, all.toArray(String[]::new));
    }

    /** The example profile's bundle, packed into a kit by the bundler image (as KitEndToEndTest does). */
    private Path kit() throws Exception {
        ExampleBundle example = ExampleBundle.create(work);
        ok(Programs.run(
                Map.of(),
                NoJavaHost.IMAGES.resolve("bundler/bin/bundler").toString(),
                "kit",
                "--bundle",
                example.bundle().toString(),
                "--trust",
                example.trust().toString(),
                "--out",
                work.resolve("kits").toString()));
        try (Stream<Path> files = Files.list(work.resolve("kits"))) {
            return files.filter(f -> f.toString().endsWith(".kit.run"))
                    .findFirst()
                    .orElseThrow();
        }
    }

    private static void ok(Programs.Run run) {
        assertThat(run.exitCode()).as(run.toString()).isZero();
    }

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
    }
}
