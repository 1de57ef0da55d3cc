package dev.ferry.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The Ansible integration against a real fleet: three network namespaces with their own sshd (plus fleet-d, a
 * fourth root behind fleet-a's sshd), the real {@code ferry_agent} role and playbooks run by
 * {@code ansible-playbook} over ssh, the real installer in each host's namespace, agents run as processes, and the
 * platform stand-in on NET.1.1 (a veth address in the root namespace; fleet.sh picks a free 10.N). fleet-c loses its route to the platform
 * before the upgrade: its self-test fails, the installer rolls it back (exit 7) and the rollout stops before
 * fleet-d's batch. A second run changes nothing.
 */
@Tag("slow")
class AnsibleRolloutTest {
    private static final Instant NOW = Instant.now();
    private static Path work;
    private static AnsibleFleet fleet;
    private static StandInProcess standIn;
    private static Path trustKey;

    @BeforeAll
    static void makeTheFleet() throws Exception {
        assumeTrue(AnsibleFleet.canRun(), "needs root, ansible-playbook, sshd, ssh-keygen and ip");
        work = Files.createTempDirectory("ferry-fleet-");
        fleet = new AnsibleFleet(work);
        fleet.up();
        fleet.route("fleet-b", true);
        fleet.route("fleet-c", true);
        Path platform = Files.createDirectories(work.resolve("platform"));
        standIn = StandInProcess.start(platform, 0, "--listen", fleet.platformAddress(), "--max-seconds", "1200");

        Path keys = work.resolve("keys");
        assertThat(Programs.bundler("keys", "generate", "--name", "fleet", "--out", keys.toString(), "--no-passphrase")
                        .exitCode())
                .isZero();
        trustKey = keys.resolve("fleet.pub.pem");
        Path profile = Files.createDirectories(work.resolve("profile"));
        Files.writeString(
                profile.resolve("fleet.yaml"),
                "extends: " + Programs.REPO.resolve("profiles/examples/base.yaml") + "\n"
                        + "name: fleet-test\n"
                        + "platform:\n"
                        + "  endpoint: https://" + fleet.platformAddress() + ":" + standIn.port + "\n"
                        + "  websocket: wss://" + fleet.platformAddress() + ":" + standIn.port + "/agent\n"
                        + "  caFile: " + platform.resolve("ca.pem") + "\n"
                        + "prerequisites:\n"
                        + "  minFreeDiskMb: 16\n");
        Files.writeString(profile.resolve("fleet-v2.yaml"), "extends: fleet.yaml\nagent:\n  version: 1.5.0\n");
        Map<String, Path> tokens = Map.of("fleet-a", token("reg-fleet-a", 30), "fleet-b", token("reg-fleet-b", 30));
        fleet.inventory(trustKey, tokens);
    }

    @AfterAll
    static void cleanUp() throws Exception {
        System.out.println("ansible-playbook runs: " + AnsibleFleet.TIMES);
        try {
            if (fleet != null) {
                fleet.close();
            }
        } finally {
            if (standIn != null) {
                standIn.close();
            }
            if (work != null) {
                try (Stream<Path> all = Files.walk(work)) {
                    all.sorted(Comparator.reverseOrder())
                            .forEach(p -> p.toFile().delete());
                }
            }
        }
        if (work != null) {
            assertThat(agentsStillRunning())
                    .as("agents or sshd left running from " + work)
                    .isEmpty();
        }
    }

    @Test
    void canaryThenBatchesAFailingHostRollsBackAndStopsTheRolloutASecondRunChangesNothing() throws Exception {
        Path v1 = bundle("fleet.yaml", 100, token("tok-v1", 7));
        Path v2bundle = bundle("fleet-v2.yaml", 200, token("tok-v2", 7));
        // Release 2 travels as a kit (its own installer image, no Java needed, the key embedded) unless the build
        // skipped the images (-Dferry.skipImages=true): then as a bundle like release 1.
        String v2 = "true".equals(System.getProperty("ferry.skipImages"))
                ? "ferry_bundle=" + v2bundle
                : "ferry_kit=" + kit(v2bundle);

        // Release 1 reaches every host (all routes up), in one batch: a bundle and the installer already on the host
        // (bin/installer with the JDK, the inventory's ferry_installer_command), trusting the inventory's key.
        Programs.Run first =
                fleet.playbook("rollout.yml", "-e", "ferry_bundle=" + v1, "-e", "{\"ferry_batches\": [\"100%\"]}");
        assertThat(first.exitCode()).as(first.toString()).isZero();
        for (String host : AnsibleFleet.HOSTS) {
            assertThat(AnsibleFleet.recap(first).get(host)).as(host).containsExactly(1, 0);
            assertThat(fleet.status(host).get("sequence").asLong()).as(host).isEqualTo(100);
        }
        assertThat(Files.readString(standIn.dir.resolve("checkins.jsonl")))
                .as("the agents checked in over the veths")
                .contains("\"version\":\"1.4.2\"");

        // Check mode: preflight and verify of release 2, nothing installed.
        Programs.Run check = fleet.playbook("rollout.yml", "--check", "--limit", "fleet-a,localhost", "-e", v2);
        assertThat(check.exitCode()).as(check.toString()).isZero();
        assertThat(AnsibleFleet.recap(check).get("fleet-a")).containsExactly(0, 0);
        assertThat(check.stdout()).contains("fleet-a: Ferry check: ready for certinext-bot-1.5.0.bundle.tar.zst");
        assertThat(fleet.status("fleet-a").get("sequence").asLong()).isEqualTo(100);

        // fleet-c loses its route to the platform; release 2 goes out: canary, then fleet-b + fleet-c.
        fleet.route("fleet-c", false);
        Programs.Run rollout = fleet.playbook("rollout.yml", "-e", v2);
        assertThat(rollout.exitCode()).as(rollout.toString()).isNotZero();
        Map<String, int[]> recap = AnsibleFleet.recap(rollout);
        assertThat(recap.get("fleet-a")).as("the canary upgraded").containsExactly(1, 0);
        assertThat(recap.get("fleet-b")).as("fleet-b upgraded").containsExactly(1, 0);
        assertThat(recap.get("fleet-c")).as("fleet-c failed, unchanged").containsExactly(0, 1);
        assertThat(recap).as("the rollout stopped before fleet-d's batch").doesNotContainKey("fleet-d");
        assertThat(rollout.stdout())
                .contains("fleet-c: Ferry install exit 7 (rolled-back)", "tcp: no-route", "fleet-d: not reached");

        JsonNode report = fleet.report("rollout.json");
        assertThat(report.get("ok")).extracting(JsonNode::asText).containsExactly("fleet-a", "fleet-b");
        assertThat(report.get("failed")).extracting(JsonNode::asText).containsExactly("fleet-c");
        assertThat(report.get("notReached")).extracting(JsonNode::asText).containsExactly("fleet-d");
        JsonNode failed = AnsibleFleet.row(report, "fleet-c");
        assertThat(failed.get("exit").asInt()).isEqualTo(7);
        assertThat(failed.get("result").asText()).isEqualTo("rolled-back");
        assertThat(failed.get("causes")).extracting(JsonNode::asText).contains("tcp: no-route", "health: no-route");
        assertThat(Files.readString(work.resolve("reports/rollout.md")))
                .contains(
                        "| fleet-c | 7 | rolled-back | certinext-bot 1.4.2 #100 | certinext-bot 1.4.2 #100 | tcp: no-route");

        assertThat(fleet.status("fleet-a").get("sequence").asLong()).isEqualTo(200);
        assertThat(fleet.status("fleet-b").get("sequence").asLong()).isEqualTo(200);
        JsonNode keptOld = fleet.status("fleet-c");
        assertThat(keptOld.get("sequence").asLong())
                .as("fleet-c keeps its previous release")
                .isEqualTo(100);
        assertThat(keptOld.get("service").asText()).isEqualTo("running");
        assertThat(fleet.status("fleet-d").get("sequence").asLong())
                .as("never touched")
                .isEqualTo(100);

        // The same rollout again: nothing changes anywhere; fleet-c still fails the same way and still stops it.
        Map<String, String> installedAt = Map.of("fleet-a", installedAt("fleet-a"), "fleet-b", installedAt("fleet-b"));
        Programs.Run again = fleet.playbook("rollout.yml", "-e", v2);
        Map<String, int[]> recapAgain = AnsibleFleet.recap(again);
        assertThat(recapAgain.get("fleet-a")).containsExactly(0, 0);
        assertThat(recapAgain.get("fleet-b")).containsExactly(0, 0);
        assertThat(recapAgain.get("fleet-c")).containsExactly(0, 1);
        assertThat(again.stdout()).contains("fleet-c: Ferry install exit 7 (rolled-back)");
        assertThat(installedAt("fleet-a")).isEqualTo(installedAt.get("fleet-a"));
        assertThat(installedAt("fleet-b")).isEqualTo(installedAt.get("fleet-b"));

        // The fleet report, written on the controller. status and register need only the installer already on the
        // hosts (the inventory's ferry_installer_command), not the kit: nothing is copied.
        Programs.Run status = fleet.playbook("status.yml");
        assertThat(status.exitCode()).as(status.toString()).isZero();
        for (String host : AnsibleFleet.HOSTS) {
            assertThat(AnsibleFleet.recap(status).get(host))
                    .as("status changes nothing on " + host)
                    .containsExactly(0, 0);
        }
        JsonNode fleetStatus = fleet.report("fleet-status.json");
        assertThat(fleetStatus.get("versions")).extracting(JsonNode::asText).containsExactly("1.4.2", "1.5.0");
        assertThat(fleetStatus.get("drifted")).isEmpty();
        assertThat(AnsibleFleet.row(fleetStatus, "fleet-b").get("version").asText())
                .isEqualTo("1.5.0");
        assertThat(AnsibleFleet.row(fleetStatus, "fleet-b").get("sequence").asLong())
                .isEqualTo(200);
        assertThat(AnsibleFleet.row(fleetStatus, "fleet-b").get("tokenDaysLeft").asInt())
                .isBetween(6, 7);
        assertThat(AnsibleFleet.row(fleetStatus, "fleet-c").get("version").asText())
                .isEqualTo("1.4.2");
        assertThat(AnsibleFleet.row(fleetStatus, "fleet-a").get("service").asText())
                .isEqualTo("running");
        assertThat(Files.readAllLines(work.resolve("reports/fleet-status.csv")))
                .hasSize(5)
                .anySatisfy(line -> assertThat(line)
                        .startsWith("\"fleet-c\",\"True\",\"True\",\"certinext-bot\",\"1.4.2\",\"100\""));
        assertThat(Files.readString(work.resolve("reports/fleet-status.md")))
                .contains("| fleet-d | certinext-bot | 1.4.2 | 100 |");

        // Re-registration of the two good hosts, each with its own token from the inventory.
        Programs.Run register = fleet.playbook("register.yml", "--limit", "fleet-a,fleet-b");
        assertThat(register.exitCode()).as(register.toString()).isZero();
        assertThat(AnsibleFleet.recap(register).get("fleet-a")).containsExactly(1, 0);
        assertThat(fleet.status("fleet-a").get("token").get("id").asText()).isEqualTo("reg-fleet-a");
        assertThat(fleet.status("fleet-b").get("token").get("id").asText()).isEqualTo("reg-fleet-b");
        assertThat(fleet.root("fleet-a").resolve("var/tmp/ferry-stage/token"))
                .as("the staged token is removed")
                .doesNotExist();
        assertThat(register.stdout() + rollout.stdout() + again.stdout())
                .doesNotContain(
                        Files.readString(work.resolve("reg-fleet-a.token")).strip());
    }

    private static Path bundle(String profile, long sequence, Path token) {
        Path out = work.resolve("out/" + sequence);
        Programs.Run create = Programs.bundler(
                "create",
                "--profile",
                work.resolve("profile/" + profile).toString(),
                "--key",
                work.resolve("keys/fleet.key.pem").toString(),
                "--token",
                token.toString(),
                "--out",
                out.toString(),
                "--sequence",
                String.valueOf(sequence));
        assertThat(create.exitCode()).as(create.toString()).isZero();
        try (Stream<Path> files = Files.list(out)) {
            return files.filter(p -> p.toString().endsWith(".bundle.tar.zst"))
                    .findFirst()
                    .orElseThrow();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** bundler kit: the installer image built by dist, the trusted key embedded, and the bundle, in one file. */
    private static Path kit(Path bundle) {
        Path out = bundle.getParent().resolve("kit");
        Programs.Run kit = Programs.bundler(
                "kit", "--bundle", bundle.toString(), "--trust", trustKey.toString(), "--out", out.toString());
        assertThat(kit.exitCode()).as(kit.toString()).isZero();
        try (Stream<Path> files = Files.list(out)) {
            return files.filter(p -> p.toString().endsWith(".kit.run"))
                    .findFirst()
                    .orElseThrow();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static Path token(String id, int days) throws IOException {
        Path file = work.resolve(id + ".token");
        Files.writeString(
                file,
                InstallerFixture.jwt(id, NOW.minus(Duration.ofMinutes(5)), NOW.plus(Duration.ofDays(days))) + "\n");
        return file;
    }

    private static String installedAt(String host) throws IOException {
        return fleet.status(host).get("bundle").get("installedAt").asText();
    }

    private static List<Long> agentsStillRunning() {
        String marker = work.toString();
        return ProcessHandle.allProcesses()
                .filter(p -> p.info()
                        .arguments()
                        .map(a -> String.join(" ", a).contains(marker))
                        .orElse(false))
                .map(ProcessHandle::pid)
                .toList();
    }
}
