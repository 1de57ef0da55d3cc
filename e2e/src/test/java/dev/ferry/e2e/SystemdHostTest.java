package dev.ferry.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * SPEC section 13: the whole lifecycle under a real systemd (booted in a container, {@link SystemdContainer}), with
 * the installer image (no Java), {@code --service-manager systemd}, root {@code /}, the real sample agent and the
 * platform stand-in on loopback. The tests run in order on one host: install, a crash and systemd's restart, a
 * broken agent, a failed upgrade, upgrade, rollback, register, a kill -9 mid-upgrade, diagnose, uninstall.
 */
@Tag("slow")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SystemdHostTest {
    private static final String UNIT = "certinext-bot";
    private static final String USER = "certinext";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern EXPOSURE = Pattern.compile("Overall exposure level for \\S+: ([0-9.]+)");

    @TempDir
    static Path work;

    private static SystemdContainer host;
    private static StandInProcess platform;
    private static Path trust;
    private static Path token;
    private static Path v1;
    private static Path v2;
    private static Path unreachable;
    private static Path broken;

    @BeforeAll
    static void bootAHostWithSystemdAndBuildTheBundles() throws Exception {
        NoJavaHost.assumeImagesBuilt();
        Path keys = work.resolve("keys");
        Programs.Run keygen =
                Programs.bundler("keys", "generate", "--name", "release", "--out", keys.toString(), "--no-passphrase");
        assertThat(keygen.exitCode()).as(keygen.toString()).isZero();
        trust = keys.resolve("release.pub.pem");
        token = tokenFile("token", "tok-systemd-1");
        platform = StandInProcess.start(
                Files.createDirectories(work.resolve("platform")), 0, "--expect-token", token.toString());
        String endpoint = "https://localhost:" + platform.port;
        v1 = bundle("1.0.0", 1, endpoint, null);
        v2 = bundle("1.1.0", 2, endpoint, null);
        unreachable = bundle("1.2.0", 3, "https://platform.invalid:" + platform.port, null);
        Path crashing = Files.createDirectories(work.resolve("crashing/bin"));
        Files.writeString(crashing.resolve("agent"), "#!/bin/sh\necho 'certinext-bot: cannot start' >&2\nexit 3\n");
        crashing.resolve("agent").toFile().setExecutable(true, false);
        broken = bundle("1.3.0", 4, endpoint, crashing.getParent());

        host = SystemdContainer.boot(work, NoJavaHost.IMAGES.resolve("installer"));
        host.ok("useradd", "--system", "--user-group", "--no-create-home", "--shell", "/usr/sbin/nologin", USER);
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (host != null) {
                host.close();
            }
        } finally {
            if (platform != null) {
                platform.close();
            }
        }
    }

    @Test
    @Order(1)
    void autoPicksSystemdAndInstallStartsTheAgentAsItsUserUnderAHardenedUnit() throws Exception {
        JsonNode preflight = JSON.readTree(
                host.installer("preflight", "--bundle", v1.toString(), "--trust", trust.toString(), "--json")
                        .stdout());
        assertThat(check(preflight, "service-manager").get("evidence").asText()).startsWith("systemd: systemd ");

        Programs.Run install = host.installer(
                "install", "--bundle", v1.toString(), "--trust", trust.toString(), "--service-manager", "systemd");
        assertThat(install.exitCode()).as(install.toString()).isZero();

        assertThat(host.unitProperty(UNIT, "ActiveState") + "/" + host.unitProperty(UNIT, "SubState"))
                .isEqualTo("active/running");
        assertThat(host.unitProperty(UNIT, "UnitFileState")).isEqualTo("enabled");
        String pid = host.unitProperty(UNIT, "MainPID");
        assertThat(host.ok("ps", "-o", "user=", "-p", pid).strip()).isEqualTo(USER);
        // The agent, as its user, read its config and its root-only token (a systemd credential), reached the platform.
        await(
                "the agent checked in with the platform",
                () -> read(platform.dir.resolve("checkins.jsonl")).contains("\"event\":\"start\""));
        assertThat(host.ok("stat", "-c", "%U %a", "/etc/ferry/certinext-bot/token")
                        .strip())
                .isEqualTo("root 600");
        assertThat(host.ok("cat", "/var/log/ferry/certinext-bot/agent.log"))
                .contains("start name=certinext-bot version=1.0.0");

        Programs.Run verify = host.exec("systemd-analyze", "verify", "/etc/systemd/system/" + UNIT + ".service");
        assertThat(verify.exitCode()).as(verify.toString()).isZero();
        assertThat(verify.stdout() + verify.stderr()).doesNotContain(UNIT + ".service:");
        Programs.Run security = host.exec("systemd-analyze", "security", "--no-pager", UNIT);
        Matcher exposure = EXPOSURE.matcher(security.stdout());
        assertThat(exposure.find()).as(security.toString()).isTrue();
        assertThat(Double.parseDouble(exposure.group(1))).as(security.stdout()).isLessThanOrEqualTo(4.5);

        JsonNode status = status();
        assertThat(status.get("service").asText()).isEqualTo("running");
        assertThat(status.at("/unit/mainPid").asText()).isEqualTo(pid);
        assertThat(status.at("/unit/managerState").asText()).isEqualTo("active (running)");
    }

    @Test
    @Order(2)
    void aKilledAgentIsRestartedBySystemdAndStatusNeverCallsItRunningMeanwhile() throws Exception {
        String before = host.unitProperty(UNIT, "MainPID");
        // The unit waits 5 s before a restart; on a loaded machine one `installer status` can take longer than that,
        // so a runtime drop-in stretches the wait while this test looks at the "restarting" state.
        String dropIn = "/run/systemd/system/" + UNIT + ".service.d";
        host.ok(
                "sh",
                "-c",
                "mkdir -p " + dropIn + " && printf '[Service]\\nRestartSec=20\\n' >" + dropIn
                        + "/slow-restart.conf && systemctl daemon-reload");
        host.ok("systemctl", "kill", "--signal=KILL", UNIT);

        JsonNode during = status();
        assertThat(during.get("service").asText()).as(during.toString()).isEqualTo("restarting");
        assertThat(during.at("/unit/managerState").asText()).isEqualTo("activating (auto-restart)");
        assertThat(during.at("/unit/lastExit").asText()).isEqualTo("signal, signal=KILL");

        await(
                "systemd restarted the agent",
                () -> host.unitProperty(UNIT, "SubState").equals("running"));
        assertThat(host.unitProperty(UNIT, "MainPID")).isNotEqualTo(before);
        assertThat(host.unitProperty(UNIT, "NRestarts")).isEqualTo("1");
        host.ok("sh", "-c", "rm -r " + dropIn + " && systemctl daemon-reload");
        assertThat(status().get("service").asText()).isEqualTo("running");
        assertThat(host.installer("status").stdout())
                .contains("service:          running (unit active (running), main pid "
                        + host.unitProperty(UNIT, "MainPID") + ", 1 restart)");
    }

    @Test
    @Order(3)
    void anAgentThatCannotStayUpIsRolledBackWithTheUnitsOwnReason() throws Exception {
        String before = runningPid();

        Programs.Run install = host.installer(
                "install", "--bundle", broken.toString(), "--trust", trust.toString(), "--service-manager", "systemd");

        assertThat(install.exitCode()).as(install.toString()).isEqualTo(7);
        assertThat(install.stderr()).contains("certinext-bot did not stay running under systemd", "status=3");
        assertRunning("1.0.0-1", before);
    }

    @Test
    @Order(4)
    void aFailedUpgradeRollsBackAndThePreviousReleaseRunsAgain() throws Exception {
        String before = runningPid();

        Programs.Run install = host.installer(
                "install",
                "--bundle",
                unreachable.toString(),
                "--trust",
                trust.toString(),
                "--service-manager",
                "systemd",
                "--selftest-timeout",
                "2");

        assertThat(install.exitCode()).as(install.toString()).isEqualTo(7);
        assertThat(install.stderr() + install.stdout()).contains("dns-failure");
        assertRunning("1.0.0-1", before);
    }

    @Test
    @Order(5)
    void upgradeRollbackAndRegisterEachRestartTheUnit() throws Exception {
        String pid = runningPid();
        Programs.Run upgrade = host.installer(
                "install", "--bundle", v2.toString(), "--trust", trust.toString(), "--service-manager", "systemd");
        assertThat(upgrade.exitCode()).as(upgrade.toString()).isZero();
        pid = assertRunning("1.1.0-2", pid);
        assertThat(host.ok("cat", "/var/log/ferry/certinext-bot/agent.log")).contains("version=1.1.0");

        Programs.Run rollback = host.installer("rollback", "--service-manager", "systemd");
        assertThat(rollback.exitCode()).as(rollback.toString()).isZero();
        pid = assertRunning("1.0.0-1", pid);

        Path renewed = tokenFile("token-2", "tok-systemd-2");
        Programs.Run register =
                host.installer("register", "--token", renewed.toString(), "--service-manager", "systemd");
        assertThat(register.exitCode()).as(register.toString()).isZero();
        assertRunning("1.0.0-1", pid);
    }

    @Test
    @Order(6)
    void aKillDashNineOfTheInstallerMidUpgradeRecoversToARunningUnit() throws Exception {
        // The image honours the test-only crash hook only with -Dferry.testHooks=true (TestHooks): the JVM reads it
        // here.
        Programs.Run killed = host.installer(
                Map.of("FERRY_TEST_CRASH_AT", "service.restarted", "JAVA_TOOL_OPTIONS", "-Dferry.testHooks=true"),
                "install",
                "--bundle",
                v2.toString(),
                "--trust",
                trust.toString(),
                "--service-manager",
                "systemd");
        assertThat(killed.exitCode()).as(killed.toString()).isEqualTo(137);
        assertThat(status().get("interrupted").asText()).contains("interrupted install");

        Programs.Run again = host.installer(
                "install", "--bundle", v2.toString(), "--trust", trust.toString(), "--service-manager", "systemd");
        assertThat(again.exitCode()).as(again.toString()).isZero();
        assertRunning("1.1.0-2", null);
        assertThat(status().has("interrupted")).isFalse();
    }

    @Test
    @Order(7)
    void diagnoseHoldsTheUnitsJournalRedacted() throws Exception {
        Path out = work.resolve("support.tar.gz");
        Programs.Run diagnose = host.installer("diagnose", "--out", out.toString());
        assertThat(diagnose.exitCode()).as(diagnose.toString()).isZero();

        Programs.Run journal = Programs.run(Map.of(), "tar", "-xzOf", out.toString(), "logs/journal.txt");
        assertThat(journal.exitCode()).as(journal.toString()).isZero();
        assertThat(journal.stdout())
                .startsWith("# journalctl -u certinext-bot -n 1000\n")
                .contains(
                        "Started certinext-bot.service",
                        "certinext-bot.service: Main process exited, code=killed, status=9/KILL");
        Programs.Run everything = Programs.run(Map.of(), "sh", "-c", "tar -xzOf '" + out + "'");
        assertThat(everything.stdout())
                .doesNotContain(read(token).strip())
                .doesNotContain(read(work.resolve("token-2")).strip());
    }

    @Test
    @Order(8)
    void uninstallStopsDisablesAndRemovesTheUnitAndSystemdForgetsIt() throws Exception {
        String pid = runningPid();
        Programs.Run uninstall = host.installer("uninstall", "--service-manager", "systemd");
        assertThat(uninstall.exitCode()).as(uninstall.toString()).isZero();

        assertThat(host.exec("test", "-e", "/etc/systemd/system/" + UNIT + ".service")
                        .exitCode())
                .isNotZero();
        assertThat(host.exec("sh", "-c", "ls /etc/systemd/system/*/" + UNIT + ".service")
                        .exitCode())
                .as("no enable link")
                .isNotZero();
        assertThat(host.unitProperty(UNIT, "LoadState")).isEqualTo("not-found");
        assertThat(host.unitProperty(UNIT, "ActiveState")).isEqualTo("inactive");
        assertThat(host.ok("systemctl", "list-units", "--all", "--plain", "--no-legend", UNIT + "*")
                        .strip())
                .isEmpty();
        assertThat(host.exec("kill", "-0", pid).exitCode())
                .as("the agent's process is gone")
                .isNotZero();
        assertThat(status().get("installed").asBoolean()).isFalse();
    }

    /** The running agent's main PID, after checking the unit runs. */
    private static String runningPid() {
        assertThat(host.unitProperty(UNIT, "SubState")).isEqualTo("running");
        return host.unitProperty(UNIT, "MainPID");
    }

    /** current is {@code release}, the unit runs it as the agent's user, with a new main PID unless {@code oldPid} is null. */
    private static String assertRunning(String release, String oldPid) throws Exception {
        assertThat(host.ok("readlink", "/opt/ferry/certinext-bot/current").strip())
                .endsWith(release);
        String pid = runningPid();
        if (oldPid != null) {
            assertThat(pid).as("the unit was restarted").isNotEqualTo(oldPid);
        }
        assertThat(host.ok("ps", "-o", "user=", "-p", pid).strip()).isEqualTo(USER);
        JsonNode status = status();
        assertThat(status.get("release").asText()).isEqualTo(release);
        assertThat(status.get("service").asText()).isEqualTo("running");
        return pid;
    }

    private static JsonNode status() throws IOException {
        Programs.Run status = host.installer("status", "--json");
        assertThat(status.exitCode()).as(status.toString()).isZero();
        return JSON.readTree(status.stdout());
    }

    private static JsonNode check(JsonNode report, String id) {
        for (JsonNode c : report.get("checks")) {
            if (c.get("id").asText().equals(id)) {
                return c;
            }
        }
        throw new AssertionError("no check " + id + " in " + report);
    }

    private static Path tokenFile(String file, String id) throws IOException {
        Instant now = Instant.now();
        return Files.writeString(
                work.resolve(file),
                InstallerFixture.jwt(id, now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(30))) + "\n");
    }

    /**
     * {@code bin/bundler create} from a profile extending the examples' base: the sample agent (or {@code runtime}),
     * run as {@link #USER}, against {@code endpoint} with the stand-in's CA.
     */
    private static Path bundle(String version, long sequence, String endpoint, Path runtime) throws IOException {
        Path dir = Files.createDirectories(work.resolve("profile-" + sequence));
        String websocket = endpoint.replace("https://", "wss://") + "/agent";
        Path profile = Files.writeString(
                dir.resolve("systemd.yaml"),
                String.join(
                        "\n",
                        "extends: " + Programs.REPO.resolve("profiles/examples/base.yaml"),
                        "name: systemd-host",
                        "agent:",
                        "  version: " + version,
                        runtime == null ? "" : "  runtime: " + runtime,
                        "service:",
                        "  name: " + UNIT,
                        "  user: " + USER,
                        "platform:",
                        "  endpoint: " + endpoint,
                        "  websocket: " + websocket,
                        "  caFile: " + platform.dir.resolve("ca.pem"),
                        "prerequisites:",
                        "  minFreeDiskMb: 16",
                        "bundle:",
                        "  sequence: " + sequence,
                        ""));
        Path out = work.resolve("bundles");
        Programs.Run create = Programs.bundler(
                "create",
                "--profile",
                profile.toString(),
                "--key",
                work.resolve("keys/release.key.pem").toString(),
                "--token",
                token.toString(),
                "--out",
                out.toString());
        assertThat(create.exitCode()).as(create.toString()).isZero();
        return out.resolve("certinext-bot-" + version + ".bundle.tar.zst");
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static void await(String what, Supplier<Boolean> condition) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (!condition.get()) {
            assertThat(Instant.now()).as("waiting for: " + what).isBefore(deadline);
            Thread.sleep(200);
        }
    }
}
