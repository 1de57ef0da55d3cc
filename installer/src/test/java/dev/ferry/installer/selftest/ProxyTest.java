package dev.ferry.installer.selftest;

import static dev.ferry.installer.selftest.Fixtures.LOOPBACK_NAMES;
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
import dev.ferry.installer.testpeers.TestPki;
import dev.ferry.installer.testpeers.Tinyproxy;
import dev.ferry.installer.testpeers.WebSocketResponder;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The platform through a real tinyproxy with Basic credentials; noProxy sends hosts around it. */
class ProxyTest {
    private static final String PASSWORD = "s3cret-Proxy-Pass";
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    @TempDir
    static Path dir;

    static Path caFile;
    static Path passwordFile;
    static Path wrongPasswordFile;
    static HealthServer health;
    static SocketPeer ws;
    static SocketPeer forbidden;
    static Tinyproxy proxy;
    private final SelfTests selfTests = new SelfTests(Clock.systemUTC(), LOOPBACK_NAMES);

    @BeforeAll
    static void start() throws IOException {
        assumeTrue(Tinyproxy.available(), "tinyproxy is not installed");
        caFile = Fixtures.PLATFORM_CA.writePem(dir.resolve("ca.pem"));
        passwordFile = Files.writeString(dir.resolve("proxy-password"), PASSWORD + "\n");
        wrongPasswordFile = Files.writeString(dir.resolve("wrong-password"), "not-it\n");
        TestPki.Server server = Fixtures.platformServer();
        health = new HealthServer(server.sslContext(), 200, Clock.systemUTC());
        ws = SocketPeer.tls(server.sslContext(), WebSocketResponder.of(WebSocketResponder.Mode.CORRECT));
        forbidden = SocketPeer.plain(SocketPeer.silent());
        proxy = Tinyproxy.start(dir, "svc-bot", PASSWORD, List.of(health.port(), ws.port()));
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] {proxy, forbidden, ws, health}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception ignored) {
                // best effort
            }
        }
    }

    private static ProxySettings proxySettings(String user, Path password, List<String> noProxy) {
        return new ProxySettings(URI.create("http://127.0.0.1:" + proxy.port()), user, password, noProxy);
    }

    /** "localhost" is resolved by tinyproxy itself, as a real proxy resolves the platform's name. */
    private CheckReport run(ProxySettings settings, int port) {
        return selfTests.run(plan(
                "https://localhost:" + port + "/",
                "wss://localhost:" + ws.port() + "/agent",
                caFile,
                settings,
                List.of(),
                TIMEOUT));
    }

    @Test
    void theRightCredentialsPassEveryCheckThroughTheProxy() {
        CheckReport report = run(proxySettings("svc-bot", passwordFile, List.of()), health.port());

        assertThat(report.checks())
                .allSatisfy(c ->
                        assertThat(c.result()).as(c.id() + ": " + c.evidence()).isEqualTo(Result.PASS));
        assertThat(check(report, "dns").evidence()).contains("the proxy host 127.0.0.1");
        assertThat(check(report, "tcp").evidence()).contains("the proxy");
        assertThat(check(report, "proxy").evidence())
                .contains("accepted CONNECT localhost:" + health.port())
                .contains("as user 'svc-bot'");
        assertThat(proxy.logText())
                .contains("CONNECT localhost:" + health.port())
                .contains("CONNECT localhost:" + ws.port());
        assertThat(report.toString()).doesNotContain(PASSWORD);
    }

    @Test
    void aWrongPasswordIsProxyAuthRequiredEverywhereItMatters() {
        CheckReport report = run(proxySettings("svc-bot", wrongPasswordFile, List.of()), health.port());

        Check p = check(report, "proxy");
        assertThat(p.cause()).isEqualTo(Cause.PROXY_AUTH_REQUIRED);
        assertThat(p.evidence()).containsAnyOf("407", "401").contains("as user 'svc-bot'");
        assertThat(p.remedy()).contains("proxy.username").contains("password file");
        for (String id : List.of("tls", "health", "websocket")) {
            assertThat(check(report, id).cause()).as(id).isEqualTo(Cause.PROXY_AUTH_REQUIRED);
            assertThat(check(report, id).evidence()).as(id).startsWith("not reached: the proxy step failed");
        }
        assertThat(check(report, "tcp").result()).isEqualTo(Result.PASS);
    }

    @Test
    void missingCredentialsAreProxyAuthRequired() {
        CheckReport report = run(proxySettings(null, null, List.of()), health.port());

        assertThat(check(report, "proxy").cause()).isEqualTo(Cause.PROXY_AUTH_REQUIRED);
        assertThat(check(report, "proxy").evidence()).contains("without credentials");
    }

    @Test
    void aPortTheProxyDoesNotAllowIsProxyRefused() {
        CheckReport report = run(proxySettings("svc-bot", passwordFile, List.of()), forbidden.port());

        Check p = check(report, "proxy");
        assertThat(p.cause()).isEqualTo(Cause.PROXY_REFUSED);
        assertThat(p.evidence()).contains("403");
        assertThat(p.remedy()).contains("allow CONNECT to localhost:" + forbidden.port());
    }

    @Test
    void aProxyThatIsNotRunningIsProxyRefused() {
        ProxySettings down = new ProxySettings(
                URI.create("http://127.0.0.1:" + SocketPeer.closedPort()), "svc-bot", passwordFile, List.of());
        CheckReport report = run(down, health.port());

        assertThat(check(report, "tcp").cause()).isEqualTo(Cause.PROXY_REFUSED);
        assertThat(check(report, "proxy").cause()).isEqualTo(Cause.PROXY_REFUSED);
        assertThat(check(report, "health").cause()).isEqualTo(Cause.PROXY_REFUSED);
    }

    @Test
    void noProxyDomainsAndCidrsGoAroundTheProxy() {
        // The proxy is down: only a direct connection can pass.
        URI dead = URI.create("http://127.0.0.1:" + SocketPeer.closedPort());
        CheckReport bySuffix = selfTests.run(plan(
                "https://platform.test:" + health.port() + "/",
                null,
                caFile,
                new ProxySettings(dead, "svc-bot", passwordFile, List.of(".test")),
                List.of(),
                TIMEOUT));
        CheckReport byCidr = selfTests.run(plan(
                "https://127.0.0.1:" + health.port() + "/",
                null,
                caFile,
                new ProxySettings(dead, "svc-bot", passwordFile, List.of("10.0.0.0/8", "127.0.0.0/8")),
                List.of(),
                TIMEOUT));

        for (CheckReport report : List.of(bySuffix, byCidr)) {
            assertThat(check(report, "proxy").result()).isEqualTo(Result.SKIP);
            assertThat(check(report, "proxy").evidence()).contains("matches noProxy");
            assertThat(check(report, "health").result())
                    .as(check(report, "health").evidence())
                    .isEqualTo(Result.PASS);
        }
    }
}
