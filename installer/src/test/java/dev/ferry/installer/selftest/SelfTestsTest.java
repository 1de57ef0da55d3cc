package dev.ferry.installer.selftest;

import static dev.ferry.installer.selftest.Fixtures.HOST;
import static dev.ferry.installer.selftest.Fixtures.INSPECTION_CA;
import static dev.ferry.installer.selftest.Fixtures.LOOPBACK_NAMES;
import static dev.ferry.installer.selftest.Fixtures.PLATFORM_CA;
import static dev.ferry.installer.selftest.Fixtures.check;
import static dev.ferry.installer.selftest.Fixtures.plan;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.installer.check.Cause;
import dev.ferry.installer.check.Check;
import dev.ferry.installer.check.CheckReport;
import dev.ferry.installer.check.Result;
import dev.ferry.installer.testpeers.HealthServer;
import dev.ferry.installer.testpeers.SocketPeer;
import dev.ferry.installer.testpeers.TestPki;
import dev.ferry.installer.testpeers.WebSocketResponder;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The platform checks against real TLS, HTTPS and WebSocket servers on loopback. */
class SelfTestsTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    @TempDir
    static Path dir;

    static Path caFile;
    private final SelfTests selfTests = new SelfTests(Clock.systemUTC(), LOOPBACK_NAMES);

    @BeforeAll
    static void writeCa() {
        caFile = PLATFORM_CA.writePem(dir.resolve("platform-ca.pem"));
    }

    private static String https(int port) {
        return "https://" + HOST + ":" + port + "/";
    }

    @Test
    void aHealthyPlatformPassesEveryCheckInTheStableOrder() {
        TestPki.Server server = Fixtures.platformServer();
        try (HealthServer health = new HealthServer(server.sslContext(), 200, Clock.systemUTC());
                SocketPeer ws =
                        SocketPeer.tls(server.sslContext(), WebSocketResponder.of(WebSocketResponder.Mode.CORRECT))) {
            CheckReport report = selfTests.run(plan(
                    https(health.port()),
                    "wss://" + HOST + ":" + ws.port() + "/agent",
                    caFile,
                    null,
                    List.of(),
                    TIMEOUT));

            assertThat(report.checks())
                    .extracting(Check::id)
                    .containsExactly("dns", "tcp", "proxy", "tls", "health", "websocket");
            assertThat(report.passed()).isTrue();
            assertThat(check(report, "dns").evidence()).contains(HOST + " resolves to 127.0.0.1");
            assertThat(check(report, "proxy").result()).isEqualTo(Result.SKIP);
            assertThat(check(report, "tls").evidence()).contains("Ferry Test Platform CA");
            assertThat(check(report, "health").evidence()).contains("/health answered 200");
            assertThat(check(report, "websocket").result()).isEqualTo(Result.PASS);
            assertThat(report.checks()).allSatisfy(c -> assertThat(c.cause()).isNull());
            assertThat(health.hits()).isGreaterThanOrEqualTo(1);
        }
    }

    @Test
    void anUnhealthyPlatformFailsHealthWithHttpStatus() {
        TestPki.Server server = Fixtures.platformServer();
        try (HealthServer health = new HealthServer(server.sslContext(), 503, Clock.systemUTC())) {
            CheckReport report = selfTests.run(plan(https(health.port()), null, caFile, null, List.of(), TIMEOUT));

            Check h = check(report, "health");
            assertThat(h.result()).isEqualTo(Result.FAIL);
            assertThat(h.cause()).isEqualTo(Cause.HTTP_STATUS);
            assertThat(h.evidence()).contains("503");
            assertThat(h.remedy()).isNotBlank();
            assertThat(check(report, "tls").result()).isEqualTo(Result.PASS);
            assertThat(check(report, "websocket").result()).isEqualTo(Result.SKIP);
        }
    }

    @Test
    void aChainToAnUnknownIssuerWithoutCaFileIsUntrusted() {
        TestPki.Server foreign = INSPECTION_CA.issue(HOST, List.of(HOST), List.of());
        try (HealthServer health = new HealthServer(foreign.sslContext(), 200, Clock.systemUTC())) {
            CheckReport report = selfTests.run(plan(https(health.port()), null, null, null, List.of(), TIMEOUT));

            Check tls = check(report, "tls");
            assertThat(tls.cause()).isEqualTo(Cause.TLS_UNTRUSTED);
            assertThat(tls.evidence()).contains("CN=Acme Inspection CA,O=Acme Firewall");
            assertThat(tls.remedy()).contains("platform.caFile");
            Check healthCheck = check(report, "health");
            assertThat(healthCheck.cause()).isEqualTo(Cause.TLS_UNTRUSTED);
            assertThat(healthCheck.evidence()).startsWith("not reached: the tls step failed");
            assertThat(health.hits()).isZero();
        }
    }

    @Test
    void aChainToAnUnknownIssuerWhileTheProfileNamesACaIsInterceptionNamingTheDevice() {
        TestPki.Server intercepted = INSPECTION_CA.issue(HOST, List.of(HOST), List.of());
        try (HealthServer health = new HealthServer(intercepted.sslContext(), 200, Clock.systemUTC())) {
            CheckReport report = selfTests.run(plan(https(health.port()), null, caFile, null, List.of(), TIMEOUT));

            Check tls = check(report, "tls");
            assertThat(tls.result()).isEqualTo(Result.FAIL);
            assertThat(tls.cause()).isEqualTo(Cause.TLS_INTERCEPTED);
            assertThat(tls.evidence()).contains("CN=Acme Inspection CA,O=Acme Firewall");
            assertThat(tls.remedy())
                    .contains("add the inspection CA 'CN=Acme Inspection CA,O=Acme Firewall'")
                    .contains("exempt " + HOST);
        }
    }

    @Test
    void anExpiredCertificateIsTlsExpired() {
        Instant now = Instant.now();
        TestPki.Server expired = PLATFORM_CA.issue(
                HOST, List.of(HOST), List.of(), now.minus(Duration.ofDays(10)), now.minus(Duration.ofDays(1)));
        try (HealthServer health = new HealthServer(expired.sslContext(), 200, Clock.systemUTC())) {
            CheckReport report = selfTests.run(plan(https(health.port()), null, caFile, null, List.of(), TIMEOUT));

            Check tls = check(report, "tls");
            assertThat(tls.cause()).isEqualTo(Cause.TLS_EXPIRED);
            assertThat(tls.evidence()).contains("expired on");
        }
    }

    @Test
    void aCertificateForAnotherNameIsAHostNameMismatch() {
        TestPki.Server wrongName = PLATFORM_CA.issue("other.example", List.of("other.example"), List.of());
        try (HealthServer health = new HealthServer(wrongName.sslContext(), 200, Clock.systemUTC())) {
            CheckReport report = selfTests.run(plan(https(health.port()), null, caFile, null, List.of(), TIMEOUT));

            Check tls = check(report, "tls");
            assertThat(tls.cause()).isEqualTo(Cause.TLS_HOSTNAME_MISMATCH);
            assertThat(tls.evidence()).contains("other.example").contains("not " + HOST);
        }
    }

    @Test
    void aClosedPortIsRefusedAndTheLaterChecksSaySoWithTheSameCause() {
        int closed = SocketPeer.closedPort();
        CheckReport report = selfTests.run(
                plan(https(closed), "wss://" + HOST + ":" + closed + "/agent", caFile, null, List.of(), TIMEOUT));

        assertThat(check(report, "dns").result()).isEqualTo(Result.PASS);
        Check tcp = check(report, "tcp");
        assertThat(tcp.cause()).isEqualTo(Cause.REFUSED);
        assertThat(tcp.evidence()).isEqualTo(HOST + ":" + closed + " refused the connection");
        assertThat(tcp.remedy()).startsWith("open port " + closed + " outbound to " + HOST);
        for (String id : List.of("tls", "health", "websocket")) {
            Check c = check(report, id);
            assertThat(c.result()).as(id).isEqualTo(Result.FAIL);
            assertThat(c.cause()).as(id).isEqualTo(Cause.REFUSED);
            assertThat(c.evidence()).as(id).startsWith("not reached: the tcp step failed");
        }
    }

    @Test
    void anUnresolvableNameWithTheHostsOwnResolverIsADnsFailure() {
        CheckReport report =
                new SelfTests().run(plan("https://no-such-host.invalid/", null, null, null, List.of(), TIMEOUT));

        Check dns = check(report, "dns");
        assertThat(dns.cause()).isEqualTo(Cause.DNS_FAILURE);
        assertThat(dns.evidence()).contains("no-such-host.invalid does not resolve");
        assertThat(dns.remedy()).contains("/etc/resolv.conf").contains("hosts entry");
        for (String id : List.of("tcp", "tls", "health")) {
            assertThat(check(report, id).cause()).as(id).isEqualTo(Cause.DNS_FAILURE);
            assertThat(check(report, id).evidence()).as(id).startsWith("not reached: the dns step failed");
        }
    }

    @Test
    void aListenerThatNeverAnswersIsCutAtTheTimeout() {
        try (SocketPeer silent = SocketPeer.plain(SocketPeer.silent())) {
            long start = System.nanoTime();
            CheckReport report = selfTests.run(plan(
                    https(silent.port()),
                    "wss://" + HOST + ":" + silent.port() + "/",
                    caFile,
                    null,
                    List.of(),
                    Duration.ofSeconds(1)));
            long ms = (System.nanoTime() - start) / 1_000_000;

            assertThat(check(report, "tcp").result()).isEqualTo(Result.PASS);
            for (String id : List.of("tls", "health", "websocket")) {
                Check c = check(report, id);
                assertThat(c.cause()).as(id).isEqualTo(Cause.TIMEOUT);
                assertThat(c.evidence()).as(id).contains("TLS handshake").contains("1 s");
            }
            assertThat(ms).isLessThan(2_500);
        }
    }

    @Test
    void aPlainTextServerWhereTlsIsExpectedIsAProtocolFailure() {
        try (SocketPeer smtp = SocketPeer.plain(SocketPeer.writes("220 mail.example ESMTP Postfix\r\n"))) {
            CheckReport report = selfTests.run(plan(https(smtp.port()), null, caFile, null, List.of(), TIMEOUT));

            assertThat(check(report, "tls").cause()).isEqualTo(Cause.PROTOCOL);
            assertThat(check(report, "tls").remedy()).contains("serves TLS");
        }
    }

    @Test
    void aWebSocketUpgradeWithAWrongAcceptOrNo101Fails() {
        TestPki.Server server = Fixtures.platformServer();
        try (HealthServer health = new HealthServer(server.sslContext(), 200, Clock.systemUTC());
                SocketPeer wrong = SocketPeer.tls(
                        server.sslContext(), WebSocketResponder.of(WebSocketResponder.Mode.WRONG_ACCEPT));
                SocketPeer missing =
                        SocketPeer.tls(server.sslContext(), WebSocketResponder.of(WebSocketResponder.Mode.NOT_FOUND))) {
            Check wrongAccept = check(
                    selfTests.run(plan(
                            https(health.port()),
                            "wss://" + HOST + ":" + wrong.port() + "/agent",
                            caFile,
                            null,
                            List.of(),
                            TIMEOUT)),
                    "websocket");
            Check notFound = check(
                    selfTests.run(plan(
                            https(health.port()),
                            "wss://" + HOST + ":" + missing.port() + "/agent",
                            caFile,
                            null,
                            List.of(),
                            TIMEOUT)),
                    "websocket");

            assertThat(wrongAccept.cause()).isEqualTo(Cause.PROTOCOL);
            assertThat(wrongAccept.evidence()).contains("wrong Sec-WebSocket-Accept");
            assertThat(notFound.cause()).isEqualTo(Cause.HTTP_STATUS);
            assertThat(notFound.evidence()).contains("404").contains("101 expected");
        }
    }

    @Test
    void anUnreadableCaFileIsReportedNotThrown() {
        TestPki.Server server = Fixtures.platformServer();
        try (HealthServer health = new HealthServer(server.sslContext(), 200, Clock.systemUTC())) {
            CheckReport report = selfTests.run(
                    plan(https(health.port()), null, dir.resolve("missing-ca.pem"), null, List.of(), TIMEOUT));

            assertThat(check(report, "tls").result()).isEqualTo(Result.FAIL);
            assertThat(check(report, "tls").evidence()).contains("cannot read platform.caFile");
        }
    }
}
