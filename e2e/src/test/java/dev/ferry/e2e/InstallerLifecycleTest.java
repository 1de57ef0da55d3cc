package dev.ferry.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.bundle.testing.JsonDocument;
import dev.ferry.e2e.InstallerFixture.BundleOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole life of an agent on one host, through bin/installer with the {@code process} service manager: the
 * sample agent really runs. Install, drift and reinstall, upgrade, rollback, uninstall, purge; agent data survives
 * everything but the purge, and nothing is written outside --root.
 */
@Tag("slow")
class InstallerLifecycleTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path work;

    @Test
    void installUpgradeRepairRollbackUninstallPurge() throws Exception {
        try (InstallerFixture host = new InstallerFixture(work, "process")) {
            Path v1 = host.bundle(BundleOptions.of("1.0.0", 1));
            Path v2 = host.bundle(BundleOptions.of("2.0.0", 2));

            Programs.Run install = host.install(v1, "--json");
            assertThat(install.exitCode()).as(install.toString()).isZero();
            JsonNode outcome = JsonDocument.parse(install.stdout());
            assertThat(outcome.path("result").asText()).isEqualTo("installed");
            assertThat(Files.readSymbolicLink(host.release()).toString()).isEqualTo("releases/1.0.0-1");
            assertThat(Files.readString(host.configDir().resolve("agent.yaml")))
                    .contains(
                            "version: 1.0.0",
                            "data: " + host.dataDir(),
                            "token: " + host.configDir().resolve("token"));
            assertThat(PosixFilePermissions.toString(
                            Files.getPosixFilePermissions(host.configDir().resolve("token"))))
                    .isEqualTo("rw-------");
            assertThat(PosixFilePermissions.toString(
                            Files.getPosixFilePermissions(host.configDir().resolve("agent.yaml"))))
                    .isEqualTo("rw-r-----");
            assertThat(host.release().resolve("secrets")).doesNotExist();
            JsonNode status = status(host);
            assertThat(status.path("version").asText()).isEqualTo("1.0.0");
            assertThat(status.path("service").asText()).isEqualTo("running");
            assertThat(status.path("drift")).isEmpty();
            assertThat(status.path("token").path("id").asText()).isEqualTo("tok-1");
            assertThat(waitForLog(host, "sample-bot 1.0.0 up")).isTrue();

            // Preflight of the installed release (no --bundle) uses the installed profile and token.
            Programs.Run preflight = host.installer("preflight", "--json");
            assertThat(preflight.exitCode()).as(preflight.toString()).isZero();
            assertThat(JsonDocument.parse(preflight.stdout()).path("checks"))
                    .extracting(c -> c.path("id").asText())
                    .containsExactly(
                            "os",
                            "privileges",
                            "clock",
                            "disk",
                            "service-manager",
                            "token-window",
                            "bundle-expiry",
                            "sequence",
                            "delta-base");
            // A full bundle's install has no base to check: the delta check says so instead of passing.
            assertThat(JsonDocument.parse(preflight.stdout())
                            .path("checks")
                            .get(8)
                            .path("result")
                            .asText())
                    .isEqualTo("skip");

            // The agent's own data, which nothing but --purge may touch.
            Path precious = host.dataDir().resolve("precious.db");
            Files.writeString(precious, "agent data");

            // The identical release again is a no-op that points at reinstall.
            Programs.Run again = host.install(v1);
            assertThat(again.exitCode()).as(again.toString()).isZero();
            assertThat(again.stdout()).contains("already installed", "reinstall");

            // Damage the install: status names the drifted and the missing file; reinstall restores both.
            Files.writeString(host.release().resolve("runtime/bin/agent"), "#!/bin/sh\necho tampered\n");
            Files.delete(host.release().resolve("runtime/VERSION"));
            assertThat(status(host).path("drift"))
                    .extracting(JsonNode::asText)
                    .containsExactly("runtime/VERSION", "runtime/bin/agent");
            Programs.Run reinstall =
                    host.installer("reinstall", "--bundle", v1.toString(), "--trust", host.trustPem.toString());
            assertThat(reinstall.exitCode()).as(reinstall.toString()).isZero();
            assertThat(status(host).path("drift")).isEmpty();
            assertThat(precious).hasContent("agent data");

            // Upgrade to a higher sequence: v1 stays as the previous release.
            Programs.Run upgrade = host.install(v2);
            assertThat(upgrade.exitCode()).as(upgrade.toString()).isZero();
            status = status(host);
            assertThat(status.path("version").asText()).isEqualTo("2.0.0");
            assertThat(status.path("previousRelease").asText()).isEqualTo("1.0.0-1");
            assertThat(status.path("service").asText()).isEqualTo("running");
            assertThat(waitForLog(host, "sample-bot 2.0.0 up")).isTrue();
            assertThat(precious).hasContent("agent data");

            // Rollback to v1 (an older sequence: that is what rollback is for).
            Programs.Run rollback = host.installer("rollback");
            assertThat(rollback.exitCode()).as(rollback.toString()).isZero();
            status = status(host);
            assertThat(status.path("version").asText()).isEqualTo("1.0.0");
            assertThat(status.path("previousRelease").asText()).isEqualTo("2.0.0-2");
            assertThat(Files.readString(host.configDir().resolve("agent.yaml"))).contains("version: 1.0.0");
            assertThat(precious).hasContent("agent data");

            // install.log: one JSON line per command run, never the token.
            List<String> lines = Files.readAllLines(host.logDir().resolve("install.log"));
            assertThat(lines).hasSizeGreaterThanOrEqualTo(5);
            for (String line : lines) {
                JsonNode l = JSON.readTree(line);
                assertThat(l.has("time") && l.has("action") && l.has("result") && l.has("exitCode"))
                        .as(line)
                        .isTrue();
            }
            assertThat(String.join("\n", lines))
                    .doesNotContain(
                            Files.readString(host.configDir().resolve("token")).strip());
            assertThat(JSON.readTree(lines.get(0)).path("signers").get(0).asText())
                    .isEqualTo(host.key.keyId());

            // Uninstall keeps config, data and logs; the agent is stopped.
            Programs.Run uninstall = host.installer("uninstall");
            assertThat(uninstall.exitCode()).as(uninstall.toString()).isZero();
            assertThat(host.root.resolve("opt/ferry/" + InstallerFixture.NAME)).doesNotExist();
            assertThat(precious).hasContent("agent data");
            assertThat(host.configDir().resolve("agent.yaml")).exists();
            assertThat(status(host).path("installed").asBoolean()).isFalse();

            Programs.Run purge = host.installer("uninstall", "--purge");
            assertThat(purge.exitCode()).as(purge.toString()).isZero();
            assertThat(host.root.resolve("opt/ferry/" + InstallerFixture.NAME)).doesNotExist();
            assertThat(host.configDir()).doesNotExist();
            assertThat(host.dataDir()).doesNotExist();
            assertThat(host.logDir()).doesNotExist();

            // Nothing outside --root: the fresh HOME and TMPDIR stay empty, and everything under the root is layout.
            try (Stream<Path> h = Files.list(host.home);
                    Stream<Path> t = Files.list(host.tmp)) {
                assertThat(h).isEmpty();
                assertThat(t).isEmpty();
            }
            assertThat(host.tree(""))
                    .allMatch(
                            p -> p.isEmpty()
                                    || List.of(
                                                    "opt",
                                                    "opt/ferry",
                                                    "etc",
                                                    "etc/ferry",
                                                    "var",
                                                    "var/lib",
                                                    "var/lib/ferry",
                                                    "var/lib/ferry/.lock",
                                                    "var/log",
                                                    "var/log/ferry")
                                            .contains(p),
                            "only the layout");
        }
    }

    private static JsonNode status(InstallerFixture host) throws Exception {
        Programs.Run run = host.installer("status", "--json");
        assertThat(run.exitCode()).as(run.toString()).isZero();
        return JsonDocument.parse(run.stdout());
    }

    private static boolean waitForLog(InstallerFixture host, String text) throws Exception {
        Path log = host.logDir().resolve("agent.log");
        for (int i = 0; i < 50; i++) {
            if (Files.exists(log) && Files.readString(log).contains(text)) {
                return true;
            }
            Thread.sleep(100);
        }
        return false;
    }
}
