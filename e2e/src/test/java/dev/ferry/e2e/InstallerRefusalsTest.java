package dev.ferry.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.bundle.testing.JsonDocument;
import dev.ferry.e2e.InstallerFixture.BundleOptions;
import dev.ferry.profiles.Profile;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Refusals a user meets through bin/installer, each with its SPEC exit code, one line on stderr and nothing changed
 * on the host: bad usage (2), a host the profile rules out (4), another run holding the lock (8) for every command
 * that takes it, nothing to roll back, a damaged state file (4), an internal error (1, the stack trace only with
 * --verbose), and systemd asked for under a relocated root (refused: it would act on this machine's own systemd).
 */
@Tag("slow")
class InstallerRefusalsTest {
    @TempDir
    Path work;

    @Test
    void missingBundleUnreadableTrustAndMissingTokenAreTwoAndTouchNothing() throws Exception {
        InstallerFixture host = new InstallerFixture(work, "none");
        Path bundle = host.bundle(BundleOptions.of("1.0.0", 1));

        assertUsage(host.installer("install", "--trust", host.trustPem.toString()), "--bundle");
        assertUsage(
                host.installer(
                        "install",
                        "--bundle",
                        bundle.toString(),
                        "--trust",
                        work.resolve("no-such.pub.pem").toString()),
                "no-such.pub.pem");
        Path directory = Files.createDirectories(work.resolve("a-folder.pub.pem"));
        assertUsage(
                host.installer("verify", "--bundle", bundle.toString(), "--trust", directory.toString()),
                "a-folder.pub.pem");
        assertUsage(host.installer("register"), "--token");
        assertThat(host.tree("")).as("nothing written under the root").containsExactly("");
    }

    @Test
    void anOsOrPrivilegesTheProfileRulesOutIsFour() throws Exception {
        InstallerFixture host = new InstallerFixture(work, "none");
        Path windowsOnly = host.bundle(
                BundleOptions.of("1.0.0", 1), new Profile.Prerequisites(List.of("windows"), false, 1L, 60L, null));
        Programs.Run os = host.installer(
                "preflight", "--bundle", windowsOnly.toString(), "--trust", host.trustPem.toString(), "--json");
        assertThat(os.exitCode()).as(os.toString()).isEqualTo(4);
        assertThat(check(JsonDocument.parse(os.stdout()), "os").path("cause").asText())
                .isEqualTo("unsupported-os");
        Programs.Run install = host.install(windowsOnly, "--skip-selftest");
        assertThat(install.exitCode()).as(install.toString()).isEqualTo(4);
        assertThat(host.tree("opt")).isEmpty();

        // requireAdmin, run as nobody (runuser): the tests themselves run as root, where the check passes.
        Path rootOnly = host.bundle(
                BundleOptions.of("1.0.0", 1), new Profile.Prerequisites(List.of("linux"), true, 1L, 60L, null));
        Path shared = Files.createDirectories(Path.of("/tmp")
                .resolve("ferry-nobody-" + ProcessHandle.current().pid() + "-" + System.nanoTime()));
        try {
            Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
            Path readable = Files.copy(rootOnly, shared.resolve("root-only.bundle.tar.zst"));
            Files.setPosixFilePermissions(readable, PosixFilePermissions.fromString("rw-r--r--"));
            Path trust = Files.copy(host.trustPem, shared.resolve("release.pub.pem"));
            Files.setPosixFilePermissions(trust, PosixFilePermissions.fromString("rw-r--r--"));
            Programs.Run privileges = Programs.run(
                    Map.of("HOME", shared.toString()),
                    "runuser",
                    "-u",
                    "nobody",
                    "--",
                    Programs.REPO.resolve("bin/installer").toString(),
                    "preflight",
                    "--bundle",
                    readable.toString(),
                    "--trust",
                    trust.toString(),
                    "--json",
                    "--root",
                    shared.resolve("root").toString(),
                    "--service-manager",
                    "none");
            assertThat(privileges.exitCode()).as(privileges.toString()).isEqualTo(4);
            JsonNode admin = check(JsonDocument.parse(privileges.stdout()), "privileges");
            assertThat(admin.path("result").asText()).isEqualTo("fail");
            assertThat(admin.path("cause").asText()).isEqualTo("not-admin");
            assertThat(admin.path("remedy").asText()).contains("root");
        } finally {
            Programs.run(Map.of(), "rm", "-rf", shared.toString());
        }
    }

    @Test
    void registerRollbackAndUninstallWhileTheLockIsHeldAreEightAndChangeNothing() throws Exception {
        InstallerFixture host = new InstallerFixture(work, "none");
        assertThat(host.install(host.bundle(BundleOptions.of("1.0.0", 1)), "--skip-selftest")
                        .exitCode())
                .isZero();
        assertThat(host.install(host.bundle(BundleOptions.of("2.0.0", 2)), "--skip-selftest")
                        .exitCode())
                .isZero();
        Path token = Files.writeString(
                work.resolve("new.jwt"),
                InstallerFixture.jwt(
                        "tok-new", InstallerFixture.CREATED, InstallerFixture.CREATED.plus(Duration.ofDays(60))));
        List<String> before = host.tree("");
        String log = Files.readString(host.logDir().resolve("install.log"));
        Path lockFile = host.root.resolve("var/lib/ferry/.lock");
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock lock = channel.lock()) {
            for (List<String> command : List.of(
                    List.of("register", "--token", token.toString(), "--skip-selftest"),
                    List.of("rollback", "--skip-selftest"),
                    List.of("uninstall"),
                    List.of("uninstall", "--purge"))) {
                Programs.Run run = host.installer(command.toArray(String[]::new));
                assertThat(run.exitCode()).as(run.toString()).isEqualTo(8);
                assertThat(run.stderr())
                        .contains("another install is in progress")
                        .doesNotContain("\tat ");
            }
        }
        assertThat(host.tree("")).isEqualTo(before);
        assertThat(host.logDir().resolve("install.log")).hasContent(log);
        // The lock died with its holder: the same rollback now just works.
        Programs.Run rollback = host.installer("rollback", "--skip-selftest");
        assertThat(rollback.exitCode()).as(rollback.toString()).isZero();
        assertThat(Files.readSymbolicLink(host.release()).toString()).isEqualTo("releases/1.0.0-1");
    }

    @Test
    void rollbackWithNothingToRollBackSaysSoAndChangesNothing() throws Exception {
        InstallerFixture host = new InstallerFixture(work, "none");
        Programs.Run nothingInstalled = host.installer("rollback");
        assertThat(nothingInstalled.exitCode()).as(nothingInstalled.toString()).isEqualTo(2);
        assertThat(nothingInstalled.stderr()).contains("nothing is installed").doesNotContain("\tat ");

        assertThat(host.install(host.bundle(BundleOptions.of("1.0.0", 1)), "--skip-selftest")
                        .exitCode())
                .isZero();
        List<String> before = host.tree("");
        Programs.Run onlyOne = host.installer("rollback");
        assertThat(onlyOne.exitCode()).as(onlyOne.toString()).isEqualTo(2);
        assertThat(onlyOne.stderr()).contains("nothing to roll back to").doesNotContain("\tat ");
        assertThat(host.tree("")).isEqualTo(before);
        assertThat(Files.readSymbolicLink(host.release()).toString()).isEqualTo("releases/1.0.0-1");
    }

    @Test
    void aDamagedStateFileIsFourInOneLineWithTheFix() throws Exception {
        InstallerFixture host = new InstallerFixture(work, "none");
        assertThat(host.install(host.bundle(BundleOptions.of("1.0.0", 1)), "--skip-selftest")
                        .exitCode())
                .isZero();
        Files.writeString(host.dataDir().resolve("state.json"), "[1, 2");

        Programs.Run status = host.installer("status");
        assertThat(status.exitCode()).as(status.toString()).isEqualTo(4);
        assertThat(status.stderr().strip())
                .as("one line")
                .doesNotContain("\n")
                .contains("state.json is damaged", "Fix: ");
    }

    /** An internal error (exit 1) through bin/: one line; the stack trace only with --verbose, for the bug report. */
    @Test
    void anInternalErrorIsOneWithTheStackTraceOnlyWithVerbose() {
        InstallerFixture host = new InstallerFixture(work, "none");
        // /proc takes no new files: writing the archive there fails below the command, in the archive writer.
        Programs.Run plain = host.installer("diagnose", "--out", "/proc/ferry-diagnose.tar.gz");
        assertThat(plain.exitCode()).as(plain.toString()).isEqualTo(1);
        String error = "installer: cannot write the diagnose archive /proc/ferry-diagnose.tar.gz";
        assertThat(plain.stderr().strip()).as("one line").doesNotContain("\n").startsWith(error);

        Programs.Run verbose = host.installer("diagnose", "--out", "/proc/ferry-diagnose.tar.gz", "--verbose");
        assertThat(verbose.exitCode()).as(verbose.toString()).isEqualTo(1);
        assertThat(verbose.stderr()).startsWith(error).contains("\tat dev.ferry.installer.");
    }

    @Test
    void systemdUnderARelocatedRootIsRefusedAndTheHostsSystemctlIsNeverCalled() throws Exception {
        InstallerFixture host = new InstallerFixture(work, "systemd");
        Path bundle = host.bundle(BundleOptions.of("1.0.0", 1));
        // A systemctl first on PATH that only records its calls: the real one must not be reached either.
        Path bin = Files.createDirectories(work.resolve("fake-bin"));
        Path calls = work.resolve("systemctl.calls");
        Path systemctl =
                Files.writeString(bin.resolve("systemctl"), "#!/bin/sh\necho \"$*\" >>" + calls + "\nexit 0\n");
        Files.setPosixFilePermissions(systemctl, PosixFilePermissions.fromString("rwxr-xr-x"));
        Map<String, String> path = Map.of("PATH", bin + ":" + System.getenv("PATH"));

        for (List<String> command : List.of(
                List.of(
                        "install",
                        "--bundle",
                        bundle.toString(),
                        "--trust",
                        host.trustPem.toString(),
                        "--skip-selftest"),
                List.of("preflight", "--bundle", bundle.toString(), "--trust", host.trustPem.toString()))) {
            Programs.Run run = host.installerWithEnv(path, command.toArray(String[]::new));
            assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
            assertThat(run.stderr())
                    .contains("--service-manager systemd", "--root")
                    .doesNotContain("\tat ");
        }
        assertThat(calls).as("systemctl was called").doesNotExist();
        assertThat(host.tree("")).containsExactly("");
    }

    private static void assertUsage(Programs.Run run, String names) {
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
        assertThat(run.stderr()).contains(names).doesNotContain("\tat ");
    }

    private static JsonNode check(JsonNode preflight, String id) {
        for (JsonNode c : preflight.path("checks")) {
            if (c.path("id").asText().equals(id)) {
                return c;
            }
        }
        throw new AssertionError("no check " + id + " in " + preflight);
    }
}
