package dev.ferry.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.bundle.BundleSpec;
import dev.ferry.bundle.BundleWriter;
import dev.ferry.bundle.PayloadFile;
import dev.ferry.bundle.TokenInfo;
import dev.ferry.common.Sanitizer;
import dev.ferry.profiles.Profile;
import dev.ferry.profiles.ProfileJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19 item 8, played as the attacker: a proxy that answers CONNECT with escape sequences (clear the screen,
 * draw a green "all checks passed", retitle the terminal) in its status text, a header and its body. Through the
 * real {@code bin/installer} (selftest, an install that rolls back, status): nothing it prints, logs or answers in
 * JSON holds a control character, a C1 code, a bidirectional override or a zero-width character; what
 * the attacker sent is still there to read, escaped as {@code \\uXXXX}.
 */
@Tag("slow")
class EscapeSequencesTest {
    /** Clear screen, cursor home, a green fake verdict, reset; an OSC that retitles the terminal; CSI as one C1 byte. */
    static final String FAKE_VERDICT = "\u001b[2J\u001b[H\u001b[32mall checks passed\u001b[0m";

    static final String RETITLE = "\u001b]0;owned\u0007";
    static final String C1_CSI = "\u009b2J";
    static final String BIDI = "\u202e";

    @TempDir
    Path work;

    @Test
    void aProxyAnsweringEscapeSequencesCannotDriveTheTerminalTheLogOrJson() throws Exception {
        try (HostileProxy proxy = HostileProxy.start();
                InstallerFixture host = new InstallerFixture(work.resolve("host"), "process")) {
            Path bundle = bundle(host, "http://127.0.0.1:" + proxy.port(), "tok-7", "proxy-segment", "1.0.0", 7);
            assertPrintable(host.install(bundle, "--skip-selftest"), 0);

            Programs.Run selftest = host.installer("selftest", "--timeout", "5");
            assertPrintable(selftest, 5);
            assertThat(selftest.stdout())
                    .contains("proxy-auth-required")
                    .contains("\\u001b[32mall checks passed")
                    .doesNotContain("\u001b");
            assertThat(proxy.connects()).as("the proxy was asked").isPositive();

            Programs.Run json = host.installer("selftest", "--json", "--timeout", "5");
            assertPrintable(json, 5);
            assertThat(json.stdout()).contains("\\\\u001b[32mall checks passed");

            // An upgrade whose self-test meets the same proxy rolls back: install.log says why, printable.
            Path upgrade = bundle(host, "http://127.0.0.1:" + proxy.port(), "tok-8", "proxy-segment", "1.0.1", 8);
            Programs.Run install = host.install(upgrade, "--selftest-timeout", "5");
            assertPrintable(install, 7);
            String log = Files.readString(host.logDir().resolve("install.log"), StandardCharsets.UTF_8);
            assertThat(log).contains("proxy");
            log.lines()
                    .forEach(line ->
                            assertThat(Sanitizer.isPrintable(line)).as(line).isTrue());
            assertPrintable(host.installer("status"), 0);
            assertPrintable(host.installer("status", "--json"), 0);
        }
    }

    /** The run exits {@code exit} and neither stream holds a byte that could drive a terminal. */
    private static void assertPrintable(Programs.Run run, int exit) {
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(exit);
        for (String stream : List.of(run.stdout(), run.stderr())) {
            stream.lines()
                    .forEach(line -> assertThat(Sanitizer.isPrintable(line.replace("\t", " ")))
                            .as("a printable line, got: %s%n%s", Sanitizer.printable(line, Integer.MAX_VALUE), run)
                            .isTrue());
        }
    }

    /** A bundle of the fixture's agent with a proxy (or none), a token id and a profile name chosen by the test. */
    private static Path bundle(
            InstallerFixture host, String proxyUrl, String tokenId, String profileName, String version, long sequence)
            throws IOException {
        Path src = Files.createDirectories(host.work.resolve("src-" + version));
        Files.createDirectories(src.resolve("runtime/bin"));
        Files.createDirectories(src.resolve("templates"));
        Files.createDirectories(src.resolve("secrets"));
        Files.writeString(
                src.resolve("runtime/bin/agent"), InstallerFixture.AGENT.replace("$FERRY_SAMPLE_VERSION", version));
        Files.writeString(src.resolve("templates/agent.yaml.mustache"), InstallerFixture.TEMPLATE);
        Files.writeString(src.resolve("secrets/token"), "opaque-token-" + sequence);
        Files.writeString(src.resolve("secrets/proxy-password"), "hunter2");
        List<PayloadFile> files = new ArrayList<>(List.of(
                new PayloadFile("payload/runtime/bin/agent", src.resolve("runtime/bin/agent"), "0755"),
                new PayloadFile(
                        "payload/templates/agent.yaml.mustache", src.resolve("templates/agent.yaml.mustache"), "0644"),
                new PayloadFile("payload/secrets/token", src.resolve("secrets/token"), "0600")));
        Profile.Proxy proxy = null;
        if (proxyUrl != null) {
            proxy = new Profile.Proxy(proxyUrl, "svc-ferry", "payload/secrets/proxy-password", null);
            files.add(new PayloadFile("payload/secrets/proxy-password", src.resolve("secrets/proxy-password"), "0600"));
        }
        Profile profile = new Profile(
                profileName,
                new Profile.Agent(
                        InstallerFixture.NAME,
                        version,
                        "payload/runtime/",
                        List.of("{{installDir}}/runtime/bin/agent", "--config", "{{configDir}}/agent.yaml")),
                new Profile.Service(InstallerFixture.NAME, null),
                new Profile.Platform("https://api.example.test", "/health", null, null),
                proxy,
                List.of(new Profile.Template("payload/templates/agent.yaml.mustache", "agent.yaml")),
                new Profile.Token("payload/secrets/token", null, null),
                new Profile.Prerequisites(null, null, 1L, null, null),
                null,
                new Profile.BundleSettings(90, sequence));
        BundleSpec spec = new BundleSpec(
                InstallerFixture.NAME,
                version,
                sequence,
                InstallerFixture.CREATED,
                InstallerFixture.CREATED.plus(Duration.ofDays(90)),
                ProfileJson.toJson(profile),
                new TokenInfo(
                        tokenId,
                        InstallerFixture.CREATED,
                        InstallerFixture.CREATED.plus(Duration.ofDays(30)),
                        "payload/secrets/token"),
                files);
        return new BundleWriter(3, 1)
                .write(spec, List.of(host.key), host.work.resolve("bundles/" + version))
                .path();
    }

    /**
     * A loopback "proxy" that answers every CONNECT with 407, its status text, a header and its body full of escape
     * sequences. Its socket is held from bind to close (never a port number reused).
     */
    static final class HostileProxy implements AutoCloseable {
        private final ServerSocket server;
        private final Thread thread;
        private final AtomicInteger connects = new AtomicInteger();

        private HostileProxy(ServerSocket server) {
            this.server = server;
            this.thread = new Thread(this::serve, "hostile-proxy");
            this.thread.setDaemon(true);
            this.thread.start();
        }

        static HostileProxy start() throws IOException {
            ServerSocket server = new ServerSocket();
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return new HostileProxy(server);
        }

        int port() {
            return server.getLocalPort();
        }

        int connects() {
            return connects.get();
        }

        private void serve() {
            while (!server.isClosed()) {
                try (Socket client = server.accept()) {
                    client.setSoTimeout(10_000);
                    readHead(client.getInputStream());
                    connects.incrementAndGet();
                    String body = FAKE_VERDICT + "\r\n" + RETITLE + C1_CSI + BIDI + "\r\n";
                    String answer = "HTTP/1.1 407 " + FAKE_VERDICT + RETITLE + "\r\n"
                            + "Proxy-Authenticate: Basic realm=\"" + FAKE_VERDICT + C1_CSI + "\"\r\n"
                            + "Content-Type: text/plain\r\n"
                            + "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n"
                            + "Connection: close\r\n\r\n" + body;
                    OutputStream out = client.getOutputStream();
                    out.write(answer.getBytes(StandardCharsets.UTF_8));
                    out.flush();
                } catch (IOException e) {
                    // closed, or a client that went away: serve the next one
                }
            }
        }

        private static void readHead(InputStream in) throws IOException {
            int matched = 0;
            byte[] end = {'\r', '\n', '\r', '\n'};
            for (int b; matched < end.length && (b = in.read()) >= 0; ) {
                matched = b == end[matched] ? matched + 1 : b == '\r' ? 1 : 0;
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}
