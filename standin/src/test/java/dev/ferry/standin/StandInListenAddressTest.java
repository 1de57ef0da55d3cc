package dev.ferry.standin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.OutputStream;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyStore;
import java.time.Clock;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;

/**
 * {@code --listen ADDR}: the stand-in serves on that address only, and its certificate names it, so that a client
 * in a test network namespace reaches it by IP with full hostname verification. 127.0.0.2 is another loopback
 * address on Linux: a second address without touching any interface.
 */
class StandInListenAddressTest {
    @Test
    void servesOnTheGivenAddressOnlyWithACertificateThatNamesIt() throws Exception {
        InetAddress address = InetAddress.getByName("127.0.0.2");
        StandInCertificates certificates = StandInCertificates.generate(Clock.systemUTC(), address);
        try (StandInServer server = StandInServer.start(
                certificates.serverContext(),
                address,
                0,
                Clock.systemUTC(),
                null,
                null,
                new PrintStream(OutputStream.nullOutputStream()))) {
            HttpClient client =
                    HttpClient.newBuilder().sslContext(trusting(certificates)).build();

            HttpResponse<String> response = client.send(
                    HttpRequest.newBuilder(URI.create("https://127.0.0.2:" + server.port() + "/health"))
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);

            assertThatThrownBy(() -> client.send(
                            HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + server.port() + "/health"))
                                    .GET()
                                    .build(),
                            HttpResponse.BodyHandlers.ofString()))
                    .isInstanceOf(ConnectException.class);
        }
    }

    private static SSLContext trusting(StandInCertificates certificates) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", certificates.ca());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }
}
