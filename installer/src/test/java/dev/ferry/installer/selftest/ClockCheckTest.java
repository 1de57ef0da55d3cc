package dev.ferry.installer.selftest;

import static dev.ferry.installer.selftest.Fixtures.LOOPBACK_NAMES;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.installer.check.Cause;
import dev.ferry.installer.check.Check;
import dev.ferry.installer.check.Result;
import dev.ferry.installer.testpeers.HealthServer;
import dev.ferry.installer.testpeers.SntpServer;
import dev.ferry.installer.testpeers.SocketPeer;
import dev.ferry.installer.testpeers.TestPki;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The preflight clock check against a real SNTP responder on UDP loopback, then the platform's Date header. */
class ClockCheckTest {
    private static final Clock TRUE_TIME = Clock.systemUTC();
    private static final Clock TEN_MINUTES_AHEAD = Clock.offset(TRUE_TIME, Duration.ofMinutes(10));

    @TempDir
    Path dir;

    private final ClockCheck clockCheck = new ClockCheck(LOOPBACK_NAMES);

    private static SelfTestPlan plan(String endpoint, List<String> ntp, Path caFile) {
        return new SelfTestPlan(
                URI.create(endpoint), "/health", null, caFile, null, List.of(), ntp, 60, Duration.ofSeconds(1));
    }

    @Test
    void aClockInStepWithNtpPasses() {
        try (SntpServer ntp = new SntpServer(TRUE_TIME)) {
            Check check =
                    clockCheck.run(plan("https://platform.test/", List.of("127.0.0.1:" + ntp.port()), null), TRUE_TIME);

            assertThat(check.id()).isEqualTo("clock");
            assertThat(check.result()).as(check.evidence()).isEqualTo(Result.PASS);
            assertThat(check.evidence()).contains("127.0.0.1:" + ntp.port() + " (SNTP)");
        }
    }

    @Test
    void aClockTenMinutesAheadIsClockSkewWithTheNtpRemedy() {
        try (SntpServer ntp = new SntpServer(TRUE_TIME)) {
            Check check = clockCheck.run(
                    plan("https://platform.test/", List.of("127.0.0.1:" + ntp.port()), null), TEN_MINUTES_AHEAD);

            assertThat(check.result()).isEqualTo(Result.FAIL);
            assertThat(check.cause()).isEqualTo(Cause.CLOCK_SKEW);
            assertThat(check.evidence())
                    .matches(
                            "the local clock is 6(00|01|599)\\.\\d s ahead of .*|the local clock is 59\\d\\.\\d s ahead of .*");
            assertThat(check.remedy()).contains("timedatectl set-ntp true").contains("chronyc makestep");
        }
    }

    @Test
    void withoutAnAnsweringNtpServerTheDateHeaderOfThePlatformIsUsed() {
        Path caFile = Fixtures.PLATFORM_CA.writePem(dir.resolve("ca.pem"));
        try (HealthServer platform = new HealthServer(Fixtures.platformServer().sslContext(), 200, TRUE_TIME)) {
            // The first NTP server does not exist; UDP to a closed port just goes unanswered.
            List<String> ntp = List.of("no-such-host.invalid", "127.0.0.1:" + SocketPeer.closedPort());
            Check skewed =
                    clockCheck.run(plan("https://platform.test:" + platform.port(), ntp, caFile), TEN_MINUTES_AHEAD);
            Check inStep =
                    clockCheck.run(plan("https://platform.test:" + platform.port(), List.of(), caFile), TRUE_TIME);

            assertThat(skewed.cause()).isEqualTo(Cause.CLOCK_SKEW);
            assertThat(skewed.evidence())
                    .contains("the Date header of https://platform.test:" + platform.port() + "/health");
            assertThat(inStep.result()).as(inStep.evidence()).isEqualTo(Result.PASS);
            assertThat(inStep.evidence()).doesNotContain("not trusted");
        }
    }

    @Test
    void beforeTheBundlesCaIsTrustedTheDateHeaderIsStillAClockReading() {
        // A first install: the platform's own CA is still inside the bundle, so nothing on the host trusts it yet.
        try (HealthServer platform = new HealthServer(Fixtures.platformServer().sslContext(), 200, TRUE_TIME)) {
            String endpoint = "https://platform.test:" + platform.port();
            Check inStep = clockCheck.run(plan(endpoint, List.of(), null), TRUE_TIME);
            Check skewed = clockCheck.run(plan(endpoint, List.of(), null), TEN_MINUTES_AHEAD);

            assertThat(inStep.result()).as(inStep.evidence()).isEqualTo(Result.PASS);
            assertThat(inStep.evidence())
                    .contains("the Date header of " + endpoint + "/health")
                    .contains("whose certificate the tls self-test checks (not trusted here yet: tls-untrusted)");
            assertThat(skewed.result()).as(skewed.evidence()).isEqualTo(Result.FAIL);
            assertThat(skewed.cause()).isEqualTo(Cause.CLOCK_SKEW);
        }
    }

    @Test
    void aCertificateThatLooksExpiredDoesNotHideTheClock() {
        // What a host whose clock is years ahead sees: the platform's certificate is out of date by the host's clock.
        Instant now = TRUE_TIME.instant();
        TestPki.Server expired = Fixtures.PLATFORM_CA.issue(
                Fixtures.HOST,
                List.of(Fixtures.HOST),
                List.of("127.0.0.1"),
                now.minus(Duration.ofDays(30)),
                now.minus(Duration.ofDays(1)));
        Path caFile = Fixtures.PLATFORM_CA.writePem(dir.resolve("ca.pem"));
        try (HealthServer platform = new HealthServer(expired.sslContext(), 200, TRUE_TIME)) {
            Check check = clockCheck.run(
                    plan("https://platform.test:" + platform.port(), List.of(), caFile), TEN_MINUTES_AHEAD);

            assertThat(check.cause()).as(check.evidence()).isEqualTo(Cause.CLOCK_SKEW);
            assertThat(check.evidence()).startsWith("the local clock is 6").contains("tls-expired");
        }
    }

    @Test
    void withNoTimeSourceAtAllItWarns() {
        Check check =
                clockCheck.run(plan("https://platform.test:" + SocketPeer.closedPort(), List.of(), null), TRUE_TIME);

        assertThat(check.result()).isEqualTo(Result.WARN);
        assertThat(check.cause()).isEqualTo(Cause.REFUSED);
        assertThat(check.evidence()).contains("could not compare the clock");
        assertThat(check.remedy()).contains("ntpServers");
    }
}
