package dev.ferry.installer.selftest;

import static dev.ferry.installer.selftest.Fixtures.INSPECTION_CA;
import static dev.ferry.installer.selftest.Fixtures.LOOPBACK_NAMES;
import static dev.ferry.installer.selftest.Fixtures.PLATFORM_CA;
import static dev.ferry.installer.selftest.Fixtures.check;
import static dev.ferry.installer.selftest.Fixtures.plan;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ferry.installer.check.Cause;
import dev.ferry.installer.check.Check;
import dev.ferry.installer.check.CheckReport;
import dev.ferry.installer.check.Result;
import dev.ferry.installer.testpeers.HealthServer;
import dev.ferry.installer.testpeers.SocketPeer;
import dev.ferry.installer.testpeers.Sshd;
import dev.ferry.installer.testpeers.TestPki;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One check per target, probed directly: tcp, tls, ssh against real loopback servers (a real sshd). */
class TargetChecksTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    private final SelfTests selfTests = new SelfTests(Clock.systemUTC(), LOOPBACK_NAMES);

    private CheckReport runTargets(Path caFile, TargetSpec... targets) {
        // The platform is a closed port: target checks must not depend on it.
        return selfTests.run(plan(
                "https://platform.test:" + SocketPeer.closedPort() + "/",
                null,
                caFile,
                null,
                List.of(targets),
                TIMEOUT));
    }

    @Test
    void targetsAreReportedAfterThePlatformChecksInProfileOrder() {
        try (SocketPeer open = SocketPeer.plain(SocketPeer.silent())) {
            CheckReport report = runTargets(
                    null,
                    new TargetSpec("zeta", "127.0.0.1", open.port(), "tcp", null),
                    new TargetSpec("alpha", "127.0.0.1", SocketPeer.closedPort(), "tcp", null));

            assertThat(report.checks())
                    .extracting(Check::id)
                    .containsExactly(
                            "dns", "tcp", "proxy", "tls", "health", "websocket", "target:zeta", "target:alpha");
            assertThat(check(report, "target:zeta").result()).isEqualTo(Result.PASS);
            Check alpha = check(report, "target:alpha");
            assertThat(alpha.cause()).isEqualTo(Cause.REFUSED);
            assertThat(alpha.remedy()).contains("alpha");
        }
    }

    @Test
    void aTlsTargetIsTrustedLikeThePlatform() {
        Path caFile = PLATFORM_CA.writePem(dir.resolve("ca.pem"));
        TestPki.Server good = PLATFORM_CA.issue("fleet.test", List.of("fleet.test"), List.of());
        TestPki.Server foreign = INSPECTION_CA.issue("fleet.test", List.of("fleet.test"), List.of());
        try (HealthServer trusted = new HealthServer(good.sslContext(), 200, Clock.systemUTC());
                HealthServer untrusted = new HealthServer(foreign.sslContext(), 200, Clock.systemUTC())) {
            CheckReport report = runTargets(
                    caFile,
                    new TargetSpec("ldap", "fleet.test", trusted.port(), "tls", null),
                    new TargetSpec("f5", "fleet.test", untrusted.port(), "tls", null));

            assertThat(check(report, "target:ldap").result()).isEqualTo(Result.PASS);
            assertThat(check(report, "target:ldap").evidence()).contains("Ferry Test Platform CA");
            assertThat(check(report, "target:f5").cause()).isEqualTo(Cause.TLS_INTERCEPTED);
            assertThat(check(report, "target:f5").evidence()).contains("CN=Acme Inspection CA,O=Acme Firewall");
        }
    }

    @Test
    void aRealSshdBannerPassesAndAnotherProtocolIsAProtocolFailure() {
        assumeTrue(Sshd.canRun(), "sshd cannot run here (needs openssh-server and root)");
        try (Sshd sshd = Sshd.start(dir);
                SocketPeer http = SocketPeer.plain(SocketPeer.writes("HTTP/1.1 400 Bad Request\r\n\r\n"))) {
            CheckReport report = runTargets(
                    null,
                    new TargetSpec("linux-fleet", "127.0.0.1", sshd.port(), "ssh", null),
                    new TargetSpec("not-ssh", "127.0.0.1", http.port(), "ssh", null));

            Check fleet = check(report, "target:linux-fleet");
            assertThat(fleet.result()).as(fleet.evidence()).isEqualTo(Result.PASS);
            assertThat(fleet.evidence()).contains("SSH-2.0-OpenSSH");
            Check notSsh = check(report, "target:not-ssh");
            assertThat(notSsh.cause()).isEqualTo(Cause.PROTOCOL);
            assertThat(notSsh.evidence()).contains("HTTP/1.1 400 Bad Request");
        }
    }

    @Test
    @Tag("slow")
    void fourHangingTargetsRunInParallelAndEachIsCutAtItsOwnTimeout() {
        try (SocketPeer silent = SocketPeer.plain(SocketPeer.silent())) {
            Duration two = Duration.ofSeconds(2);
            TargetSpec[] hanging = {
                new TargetSpec("ssh-1", "127.0.0.1", silent.port(), "ssh", two),
                new TargetSpec("ssh-2", "127.0.0.1", silent.port(), "ssh", two),
                new TargetSpec("tls-1", "127.0.0.1", silent.port(), "tls", two),
                new TargetSpec("tls-2", "127.0.0.1", silent.port(), "tls", two)
            };
            long start = System.nanoTime();
            CheckReport report = runTargets(null, hanging);
            long ms = (System.nanoTime() - start) / 1_000_000;

            for (TargetSpec t : hanging) {
                Check c = check(report, t.checkId());
                assertThat(c.cause()).as(t.name()).isEqualTo(Cause.TIMEOUT);
                assertThat(c.ms()).as(t.name()).isBetween(1_900L, 3_000L);
            }
            assertThat(check(report, "target:ssh-1").evidence()).contains("SSH banner");
            assertThat(ms).as("one timeout, not four in a row").isLessThan(4_000);
        }
    }

    @Test
    void theGlobalOverrideReplacesEveryTimeout() {
        try (SocketPeer silent = SocketPeer.plain(SocketPeer.silent())) {
            SelfTestPlan plan = plan(
                            "https://platform.test:" + silent.port() + "/",
                            null,
                            null,
                            null,
                            List.of(new TargetSpec("slow", "127.0.0.1", silent.port(), "ssh", Duration.ofSeconds(30))),
                            Duration.ofSeconds(30))
                    .withTimeoutOverride(Duration.ofMillis(500));
            long start = System.nanoTime();
            CheckReport report = selfTests.run(plan);

            assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(2_000);
            assertThat(check(report, "target:slow").cause()).isEqualTo(Cause.TIMEOUT);
            assertThat(check(report, "tls").cause()).isEqualTo(Cause.TIMEOUT);
        }
    }
}
