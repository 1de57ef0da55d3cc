package dev.ferry.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.bundle.testing.JsonDocument;
import dev.ferry.e2e.InstallerFixture.BundleOptions;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19 item 6 through {@code bin/installer}: an attacker's bundle, signed with the attacker's own key, whose
 * manifest names an endpoint on a loopback port this test holds open and counts connections on. {@code preflight
 * --bundle} and {@code install} judge the signatures first: exit 3, {@code signature-untrusted}, no connection to
 * that port, no install.log, nothing under the root but the host lock. The same bundle signed by the trusted key is
 * probed on that port, so the silence is not the test's blindness.
 */
class ForgedBundleEndToEndTest {
    @TempDir
    Path work;

    private ServerSocket platform;
    private final AtomicInteger connections = new AtomicInteger();
    private Thread acceptor;

    @BeforeEach
    void holdAListeningPort() throws IOException {
        // Held for the whole test, never closed and reused: nothing else can answer on this number meanwhile.
        platform = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        acceptor = new Thread(
                () -> {
                    while (!platform.isClosed()) {
                        try (Socket s = platform.accept()) {
                            connections.incrementAndGet();
                        } catch (SocketException closed) {
                            return;
                        } catch (IOException e) {
                            // keep counting
                        }
                    }
                },
                "forged-bundle-platform");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    @AfterEach
    void releasePort() throws Exception {
        platform.close();
        acceptor.join(5_000);
    }

    @Test
    void anAttackersBundleIsRefusedBeforeItsEndpointOrNameIsActedOn() throws Exception {
        InstallerFixture host = new InstallerFixture(work.resolve("host"), "none");
        InstallerFixture attacker = new InstallerFixture(work.resolve("attacker"), "none");
        BundleOptions options =
                BundleOptions.of("1.0.0", 1).withPlatform("https://127.0.0.1:" + platform.getLocalPort());
        Path forged = attacker.bundle(options);

        Programs.Run preflight = host.installer(
                "preflight", "--bundle", forged.toString(), "--trust", host.trustPem.toString(), "--json");
        Programs.Run install = host.installer(
                "install",
                "--bundle",
                forged.toString(),
                "--trust",
                host.trustPem.toString(),
                "--skip-selftest",
                "--json");

        for (Programs.Run run : List.of(preflight, install)) {
            assertThat(run.exitCode()).as(run.toString()).isEqualTo(3);
            JsonNode error = JsonDocument.parse(run.stdout()).path("error");
            assertThat(error.path("reason").asText()).as(run.toString()).isEqualTo("signature-untrusted");
            assertThat(run.stderr()).doesNotContain("\tat ");
        }
        assertThat(connections.get())
                .as("connections to the forged manifest's endpoint")
                .isZero();
        assertThat(host.logDir().resolve("install.log")).doesNotExist();
        assertThat(host.tree(""))
                .as("nothing but the host lock under the root")
                .allMatch(p -> List.of("", "var", "var/lib", "var/lib/ferry", "var/lib/ferry/.lock")
                        .contains(p));

        // The control: signed by the key the host trusts, the same endpoint is probed by preflight's clock check.
        Path genuine = host.bundle(options);
        Programs.Run probed = host.installer(
                "preflight", "--bundle", genuine.toString(), "--trust", host.trustPem.toString(), "--json");
        assertThat(JsonDocument.parse(probed.stdout()).path("checks").isArray())
                .as(probed.toString())
                .isTrue();
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (connections.get() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(connections.get())
                .as("the genuine bundle's endpoint was probed")
                .isPositive();
    }
}
