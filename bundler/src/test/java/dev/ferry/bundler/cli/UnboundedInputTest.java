package dev.ferry.bundler.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19 item 10: every input file is checked to be a regular file and read with a cap before it is parsed.
 * {@code /dev/zero} once ran for 25 s into an OutOfMemoryError, a FIFO hung forever, a 4 MB one-line profile took
 * 29 s: each must now be one line naming the file, exit 2, at once (well inside the timeout, which only stops a hang).
 */
class UnboundedInputTest {
    private static final Duration AT_ONCE = Duration.ofSeconds(10);

    @TempDir
    Path tmp;

    Path fifo;
    Path bigProfile;

    @BeforeEach
    void setUp() throws Exception {
        fifo = tmp.resolve("pipe");
        Process mkfifo =
                new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
        assertThat(mkfifo.waitFor()).isZero();
        bigProfile = tmp.resolve("big.yaml");
        Files.writeString(bigProfile, "name: " + "x".repeat(4 * 1024 * 1024) + "\n");
    }

    private static void refusedAtOnce(String file, String... args) {
        KeysTestCli.Run run =
                assertTimeoutPreemptively(AT_ONCE, () -> KeysTestCli.bundler(Map.of(), args), String.join(" ", args));
        assertThat(run.exitCode()).as(run.all()).isEqualTo(2);
        assertThat(run.err().strip())
                .as(run.all())
                .contains(file)
                .doesNotContain("\n")
                .doesNotContain("Exception");
    }

    @Test
    void devZeroAndAFifoAreRefusedAtOnceWhereverAFileIsRead() {
        for (String bad : List.of("/dev/zero", fifo.toString())) {
            refusedAtOnce(bad, "keys", "show", bad);
            refusedAtOnce(bad, "profile", "show", bad);
            refusedAtOnce(bad, "verify", "whatever.bundle.tar.zst", "--trust", bad);
            refusedAtOnce(
                    bad,
                    "keys",
                    "generate",
                    "--name",
                    "k",
                    "--out",
                    tmp.resolve("k").toString(),
                    "--passphrase-file",
                    bad);
        }
    }

    @Test
    void aKeyOrTokenThatIsAFifoOrDevZeroIsRefusedByCreate() throws IOException {
        KeysTestCli.Run keys = KeysTestCli.bundler(
                "keys",
                "generate",
                "--name",
                "release",
                "--out",
                tmp.resolve("keys").toString(),
                "--no-passphrase");
        assertThat(keys.exitCode()).as(keys.all()).isZero();
        Path key = tmp.resolve("keys/release.key.pem");
        Path profile = Files.createDirectories(tmp.resolve("p")).resolve("p.yaml");
        Files.createDirectories(tmp.resolve("p/runtime/bin"));
        Files.writeString(tmp.resolve("p/runtime/bin/agent"), "#!/bin/sh\n");
        Files.writeString(
                profile,
                "name: p\nagent:\n  name: bot\n  version: 1.0.0\n  runtime: runtime\n  exec: [/usr/bin/run]\n"
                        + "service:\n  name: bot\nplatform:\n  endpoint: https://api.example.com\n"
                        + "token:\n  notBefore: 2026-01-01T00:00:00Z\n  notAfter: 2099-01-01T00:00:00Z\n");
        for (String bad : List.of("/dev/zero", fifo.toString())) {
            refusedAtOnce(
                    bad,
                    "create",
                    "--profile",
                    profile.toString(),
                    "--key",
                    bad,
                    "--no-passphrase",
                    "--out",
                    tmp.resolve("o").toString());
            refusedAtOnce(
                    bad,
                    "create",
                    "--profile",
                    profile.toString(),
                    "--key",
                    key.toString(),
                    "--token",
                    bad,
                    "--out",
                    tmp.resolve("o").toString());
        }
    }

    @Test
    void aFourMegabyteOneLineProfileIsRefusedWithoutBeingParsed() {
        refusedAtOnce(bigProfile.toString(), "profile", "show", bigProfile.toString());
        KeysTestCli.Run run = KeysTestCli.bundler("profile", "show", bigProfile.toString());
        assertThat(run.err()).contains("larger than 262144 bytes");
    }

    @Test
    void aBundleVerifiedAgainstATrustFileThatIsAFolderNamesIt() {
        refusedAtOnce(tmp.toString(), "verify", "whatever.bundle.tar.zst", "--trust", tmp.toString());
    }
}
