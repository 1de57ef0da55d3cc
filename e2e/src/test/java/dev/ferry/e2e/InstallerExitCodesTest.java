package dev.ferry.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.bundle.testing.ClosedPorts;
import dev.ferry.bundle.testing.JsonDocument;
import dev.ferry.e2e.InstallerFixture.BundleOptions;
import dev.ferry.keys.PublicKeys;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every exit code of SPEC section 1 the installer can give, each from a real run of bin/installer. */
@Tag("slow")
class InstallerExitCodesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path work;

    @Test
    void badFlagIsTwo() {
        InstallerFixture host = new InstallerFixture(work, "none");
        Programs.Run run = host.installer("install", "--no-such-flag");
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
    }

    @Test
    void tamperedUntrustedOrNoKeyIsThreeAndInstallsNothing() throws Exception {
        InstallerFixture host = new InstallerFixture(work, "none");
        Path bundle = host.bundle(BundleOptions.of("1.0.0", 1));
        Path tampered = work.resolve("tampered.bundle.tar.zst");
        Files.copy(bundle, tampered);
        try (RandomAccessFile f = new RandomAccessFile(tampered.toFile(), "rw")) {
            long at = f.length() - 40;
            f.seek(at);
            int b = f.read();
            f.seek(at);
            f.write(b ^ 0x5a);
        }
        Programs.Run run = host.install(tampered, "--skip-selftest");
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(3);
        assertThat(run.stderr()).doesNotContain("\tat ");

        Path stranger = work.resolve("stranger.pub.pem");
        Files.writeString(stranger, PublicKeys.toPem(InstallerFixture.newKey().publicKey()));
        Programs.Run untrusted =
                host.installer("install", "--bundle", bundle.toString(), "--trust", stranger.toString());
        assertThat(untrusted.exitCode()).as(untrusted.toString()).isEqualTo(3);
        assertThat(untrusted.stderr()).contains("untrusted");

        Programs.Run noKey = host.installer("install", "--bundle", bundle.toString());
        assertThat(noKey.exitCode()).as(noKey.toString()).isEqualTo(3);
        assertThat(noKey.stderr()).contains("no trusted public key");

        Programs.Run verify =
                host.installer("verify", "--bundle", tampered.toString(), "--trust", host.trustPem.toString());
        assertThat(verify.exitCode()).isEqualTo(3);
        assertThat(host.tree("opt")).isEmpty();
        assertThat(host.tree("etc")).isEmpty();
        assertThat(host.tree("var/lib/ferry/" + InstallerFixture.NAME)).isEmpty();
    }

    /** "Already installed" is no excuse: a tampered copy of the installed release is still refused. */
    @Test
    void tamperedCopyOfTheInstalledReleaseIsRefusedNotAlreadyInstalled() throws Exception {
        InstallerFixture host = new InstallerFixture(work, "none");
        Path bundle = host.bundle(BundleOptions.of("1.0.0", 1));
        assertThat(host.install(bundle, "--skip-selftest").exitCode()).isZero();
        Path tampered = work.resolve("same-release-tampered.bundle.tar.zst");
        Files.copy(bundle, tampered);
        try (RandomAccessFile f = new RandomAccessFile(tampered.toFile(), "rw")) {
            f.seek(f.length() - 40);
            int b = f.read();
            f.seek(f.length() - 40);
            f.write(b ^ 0x5a);
        }
        Programs.Run run = host.install(tampered, "--skip-selftest");
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(3);
        Programs.Run again = host.install(bundle, "--skip-selftest");
        assertThat(again.exitCode()).as(again.toString()).isZero();
        assertThat(again.stderr() + again.stdout()).contains("already installed");
    }

    @Test
    void verifyExtractsNothingAndTrustsTrustD() throws Exception {
        InstallerFixture host = new InstallerFixture(work, "none");
        Path bundle = host.bundle(BundleOptions.of("1.0.0", 1));
        Files.createDirectories(host.root.resolve("etc/ferry/trust.d"));
        Files.copy(host.trustPem, host.root.resolve("etc/ferry/trust.d/release.pub.pem"));
        Programs.Run run = host.installer("verify", "--bundle", bundle.toString());
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.stdout()).contains("sample-bot 1.0.0", host.key.keyId());
        assertThat(host.tree("opt")).isEmpty();
    }

    @Test
    void preflightFailureIsFourWithJsonChecksAndIgnoringItInstalls() throws Exception {
        InstallerFixture host = new InstallerFixture(work, "none");
        Path bundle = host.bundle(BundleOptions.of("1.0.0", 1).withMinFreeDiskMb(1_000_000_000L));

        Programs.Run preflight = host.installer(
                "preflight", "--bundle", bundle.toString(), "--trust", host.trustPem.toString(), "--json");
        assertThat(preflight.exitCode()).as(preflight.toString()).isEqualTo(4);
        JsonNode doc = JsonDocument.parse(preflight.stdout());
        assertThat(doc.fieldNames()).toIterable().containsExactly("checks", "error");
        assertThat(doc.path("error").path("exit").asInt()).isEqualTo(4);
        assertThat(doc.path("error").path("reason").asText()).isEqualTo("preflight-failed");
        JsonNode disk = find(doc.path("checks"), "disk");
        assertThat(disk.path("result").asText()).isEqualTo("fail");
        assertThat(disk.path("cause").asText()).isEqualTo("disk-space");
        assertThat(disk.path("remedy").asText()).isNotBlank();
        assertThat(doc.path("checks"))
                .extracting(c -> c.path("id").asText())
                .contains(
                        "os",
                        "privileges",
                        "clock",
                        "disk",
                        "service-manager",
                        "token-window",
                        "bundle-expiry",
                        "sequence");

        Programs.Run install = host.install(bundle, "--skip-selftest");
        assertThat(install.exitCode()).as(install.toString()).isEqualTo(4);
        assertThat(host.tree("opt")).isEmpty();
        assertThat(host.tree("etc")).isEmpty();

        Programs.Run ignored = host.install(bundle, "--skip-selftest", "--ignore-preflight", "disk");
        assertThat(ignored.exitCode()).as(ignored.toString()).isZero();
        assertThat(Files.readString(host.logDir().resolve("install.log"))).contains("'disk' failed and was ignored");
        Programs.Run status = host.installer("status", "--json");
        assertThat(JsonDocument.parse(status.stdout())
                        .path("selfTest")
                        .path("result")
                        .asText())
                .isEqualTo("skipped");
    }

    @Test
    void failingSelfTestKeptIsFive() throws Exception {
        InstallerFixture host = new InstallerFixture(work, "none");
        Path bundle = host.bundle(BundleOptions.of("1.0.0", 1).withPlatform("https://127.0.0.1:" + closedPort()));
        Programs.Run run = host.install(bundle, "--keep-on-selftest-failure");
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(5);
        assertThat(run.stdout()).contains("tcp");
        JsonNode status = JsonDocument.parse(host.installer("status", "--json").stdout());
        assertThat(status.path("version").asText()).isEqualTo("1.0.0");
        assertThat(status.path("selfTest").path("result").asText()).isEqualTo("fail");

        Programs.Run selftest = host.installer("selftest", "--json", "--timeout", "2");
        assertThat(selftest.exitCode()).as(selftest.toString()).isEqualTo(5);
        assertThat(JsonDocument.parse(selftest.stdout()).path("checks")).isNotEmpty();
    }

    @Test
    void expiredBundleExpiredTokenAndDowngradeAreSix() throws Exception {
        InstallerFixture host = new InstallerFixture(work, "none");
        Path v1 = host.bundle(BundleOptions.of("1.0.0", 1));
        Path v2 = host.bundle(BundleOptions.of("2.0.0", 2));

        Map<String, String> afterBundleExpiry = Map.of(
                "FERRY_TEST_NOW",
                InstallerFixture.CREATED.plus(Duration.ofDays(100)).toString());
        Programs.Run expired = host.installerWithEnv(
                afterBundleExpiry,
                "install",
                "--bundle",
                v1.toString(),
                "--trust",
                host.trustPem.toString(),
                "--skip-selftest");
        assertThat(expired.exitCode()).as(expired.toString()).isEqualTo(6);
        assertThat(expired.stdout()).contains("bundle-expiry");

        Map<String, String> afterTokenExpiry = Map.of(
                "FERRY_TEST_NOW",
                InstallerFixture.CREATED.plus(Duration.ofDays(40)).toString());
        Programs.Run token = host.installerWithEnv(
                afterTokenExpiry,
                "install",
                "--bundle",
                v1.toString(),
                "--trust",
                host.trustPem.toString(),
                "--skip-selftest");
        assertThat(token.exitCode()).as(token.toString()).isEqualTo(6);
        assertThat(token.stdout()).contains("token-window", "installer register --token FILE");
        assertThat(host.tree("opt")).isEmpty();

        assertThat(host.install(v2, "--skip-selftest").exitCode()).isZero();
        Programs.Run downgrade = host.install(v1, "--skip-selftest");
        assertThat(downgrade.exitCode()).as(downgrade.toString()).isEqualTo(6);
        assertThat(downgrade.stdout()).contains("sequence");
        assertThat(Files.readSymbolicLink(host.release()).toString()).isEqualTo("releases/2.0.0-2");

        Programs.Run allowed = host.install(v1, "--skip-selftest", "--allow-downgrade");
        assertThat(allowed.exitCode()).as(allowed.toString()).isZero();
        assertThat(Files.readSymbolicLink(host.release()).toString()).isEqualTo("releases/1.0.0-1");
    }

    @Test
    void failedUpgradeIsSevenWithThePreviousReleaseCurrentAndRunning() throws Exception {
        try (InstallerFixture host = new InstallerFixture(work, "process")) {
            Path v1 = host.bundle(BundleOptions.of("1.0.0", 1));
            Path broken = host.bundle(BundleOptions.of("2.0.0", 2).withAgent(InstallerFixture.BROKEN_AGENT));
            Path unreachable =
                    host.bundle(BundleOptions.of("3.0.0", 3).withPlatform("https://127.0.0.1:" + closedPort()));
            assertThat(host.install(v1).exitCode()).isZero();
            Files.writeString(host.dataDir().resolve("precious.db"), "agent data");
            List<String> configBefore = host.tree("etc");
            String agentYaml = Files.readString(host.configDir().resolve("agent.yaml"));

            for (Path bad : List.of(broken, unreachable)) {
                Programs.Run run = host.install(bad, "--selftest-timeout", "3");
                assertThat(run.exitCode()).as(run.toString()).isEqualTo(7);
                JsonNode status =
                        JsonDocument.parse(host.installer("status", "--json").stdout());
                assertThat(status.path("version").asText()).isEqualTo("1.0.0");
                assertThat(status.path("service").asText()).isEqualTo("running");
                assertThat(status.path("drift")).isEmpty();
                assertThat(Files.readSymbolicLink(host.release()).toString()).isEqualTo("releases/1.0.0-1");
                assertThat(host.tree("opt/ferry/sample-bot/releases"))
                        .containsExactly(
                                "opt/ferry/sample-bot/releases",
                                "opt/ferry/sample-bot/releases/1.0.0-1",
                                "opt/ferry/sample-bot/releases/1.0.0-1/manifest.json",
                                "opt/ferry/sample-bot/releases/1.0.0-1/runtime",
                                "opt/ferry/sample-bot/releases/1.0.0-1/runtime/VERSION",
                                "opt/ferry/sample-bot/releases/1.0.0-1/runtime/bin",
                                "opt/ferry/sample-bot/releases/1.0.0-1/runtime/bin/agent",
                                "opt/ferry/sample-bot/releases/1.0.0-1/templates",
                                "opt/ferry/sample-bot/releases/1.0.0-1/templates/agent.yaml.mustache");
                assertThat(host.tree("etc")).isEqualTo(configBefore);
                assertThat(host.configDir().resolve("agent.yaml")).hasContent(agentYaml);
                if (bad == unreachable) {
                    // Status tells the truth about the host's last self-test: the one that failed, not v1's old pass.
                    assertThat(status.path("selfTest").path("result").asText()).isEqualTo("fail");
                    assertThat(status.path("selfTest").path("failures").toString())
                            .contains("tcp");
                }
                assertThat(host.dataDir().resolve("precious.db")).hasContent("agent data");
                assertThat(host.dataDir().resolve(".txn")).doesNotExist();
            }
        }
    }

    @Test
    void secondInstallWhileTheLockIsHeldIsEightAndChangesNothing() throws Exception {
        InstallerFixture host = new InstallerFixture(work, "none");
        Path bundle = host.bundle(BundleOptions.of("1.0.0", 1));
        Path lockFile = host.root.resolve("var/lib/ferry/.lock");
        Files.createDirectories(lockFile.getParent());
        try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock lock = ch.lock()) {
            Programs.Run run = host.install(bundle, "--skip-selftest");
            assertThat(run.exitCode()).as(run.toString()).isEqualTo(8);
            assertThat(run.stderr()).contains("another install is in progress");
            assertThat(host.tree("opt")).isEmpty();
            assertThat(host.tree("etc")).isEmpty();
        }
        // The lock dies with its holder: the next run just works.
        assertThat(host.install(bundle, "--skip-selftest").exitCode()).isZero();
    }

    @Test
    void registerSwapsAValidTokenAndRefusesAnExpiredOneChangingNothing() throws Exception {
        InstallerFixture host = new InstallerFixture(work, "none");
        Path bundle = host.bundle(BundleOptions.of("1.0.0", 1));
        assertThat(host.install(bundle, "--skip-selftest").exitCode()).isZero();
        Path tokenFile = host.configDir().resolve("token");
        String original = Files.readString(tokenFile);

        Path expired = work.resolve("expired.jwt");
        Files.writeString(
                expired,
                InstallerFixture.jwt(
                        "tok-old",
                        InstallerFixture.CREATED.minus(Duration.ofDays(20)),
                        InstallerFixture.CREATED.minus(Duration.ofDays(10))));
        List<String> before = host.tree("");
        Programs.Run refused = host.installer("register", "--token", expired.toString());
        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(6);
        assertThat(refused.stderr())
                .contains("expired", "nothing changed")
                .doesNotContain(Files.readString(expired).strip());
        assertThat(tokenFile).hasContent(original);
        assertThat(host.tree("")).isEqualTo(before);

        Path opaque = work.resolve("opaque.token");
        Files.writeString(opaque, "opaque-secret-value");
        Programs.Run noWindow = host.installer("register", "--token", opaque.toString());
        assertThat(noWindow.exitCode()).as(noWindow.toString()).isEqualTo(2);
        assertThat(noWindow.stderr()).contains("--not-after").doesNotContain("opaque-secret-value");

        Path fresh = work.resolve("fresh.jwt");
        String freshToken = InstallerFixture.jwt(
                "tok-new", InstallerFixture.CREATED, InstallerFixture.CREATED.plus(Duration.ofDays(60)));
        Files.writeString(fresh, freshToken);
        Programs.Run ok = host.installer("register", "--token", fresh.toString(), "--skip-selftest");
        assertThat(ok.exitCode()).as(ok.toString()).isZero();
        assertThat(tokenFile).hasContent(freshToken);
        JsonNode status = JsonDocument.parse(host.installer("status", "--json").stdout());
        assertThat(status.path("token").path("id").asText()).isEqualTo("tok-new");
        assertThat(status.path("token").path("source").asText()).isEqualTo("register");
        assertThat(Files.readString(host.logDir().resolve("install.log"))).doesNotContain(freshToken);

        // A repair must not put the bundle's older token back over the one the technician registered.
        Programs.Run repair = host.installer(
                "reinstall", "--bundle", bundle.toString(), "--trust", host.trustPem.toString(), "--skip-selftest");
        assertThat(repair.exitCode()).as(repair.toString()).isZero();
        assertThat(tokenFile).hasContent(freshToken);
        assertThat(JsonDocument.parse(host.installer("status", "--json").stdout())
                        .path("token")
                        .path("id")
                        .asText())
                .isEqualTo("tok-new");
    }

    @Test
    void statusWithNothingInstalledSaysSoAndExitsZero() throws Exception {
        InstallerFixture host = new InstallerFixture(work, "none");
        Programs.Run run = host.installer("status", "--json");
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(JsonDocument.parse(run.stdout()).path("installed").asBoolean())
                .isFalse();
    }

    private static JsonNode find(JsonNode checks, String id) {
        for (JsonNode c : checks) {
            if (c.path("id").asText().equals(id)) {
                return c;
            }
        }
        throw new AssertionError("no check " + id + " in " + checks);
    }

    private static int closedPort() {
        return ClosedPorts.hold();
    }
}
