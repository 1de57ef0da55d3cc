package dev.ferry.standin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The stand-in served on loopback, spoken to by the JDK's own HTTPS and WebSocket clients trusting only its CA. */
class StandInServerTest {
    private static final String TOKEN = "eyJhbGciOiJub25lIn0.eyJqdGkiOiJ0In0.c2lnbmF0dXJl";
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-22T10:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    private StandInServer server;
    private HttpClient client;
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();

    @BeforeEach
    void start() throws Exception {
        StandInCertificates certificates = StandInCertificates.generate(Clock.systemUTC());
        server = StandInServer.start(
                certificates.serverContext(),
                0,
                CLOCK,
                dir.resolve("checkins.jsonl"),
                null,
                new PrintStream(log, true, StandardCharsets.UTF_8));
        client = HttpClient.newBuilder().sslContext(trusting(certificates)).build();
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    @Test
    void healthAnswers200JsonWithADateHeaderOverTlsForLocalhost() throws Exception {
        HttpResponse<String> response =
                send(HttpRequest.newBuilder(uri("/health")).GET());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(response.headers().firstValue("Date")).hasValue("Sun, 22 Nov 2026 10:00:00 GMT");
        assertThat(new ObjectMapper().readTree(response.body()).get("status").asText())
                .isEqualTo("ok");
    }

    @Test
    void aCheckInWithoutATokenIs401AndNotRecorded() throws Exception {
        HttpResponse<String> response = send(checkin("{\"name\":\"bot\",\"version\":\"1\",\"host\":\"h\"}"));

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).isPresent();
        assertThat(dir.resolve("checkins.jsonl")).doesNotExist();
    }

    @Test
    void aCheckInIsRecordedAsOneJsonLineWithoutTheToken() throws Exception {
        String body =
                "{\"name\":\"certinext-bot\",\"version\":\"1.4.2\",\"host\":\"vm1\",\"event\":\"start\",\"oops\":\""
                        + TOKEN + "\"}";
        HttpResponse<String> first = send(checkin(body).header("Authorization", "Bearer " + TOKEN));
        send(checkin(body.replace("start", "heartbeat")).header("Authorization", "Bearer " + TOKEN));

        assertThat(first.statusCode()).isEqualTo(200);
        List<String> lines = Files.readAllLines(dir.resolve("checkins.jsonl"));
        assertThat(lines).hasSize(2);
        JsonNode record = new ObjectMapper().readTree(lines.get(0));
        assertThat(record.get("receivedAt").asText()).isEqualTo("2026-11-22T10:00:00Z");
        assertThat(record.get("name").asText()).isEqualTo("certinext-bot");
        assertThat(record.get("host").asText()).isEqualTo("vm1");
        assertThat(record.get("event").asText()).isEqualTo("start");
        assertThat(String.join("\n", lines)).doesNotContain(TOKEN);
        assertThat(log.toString(StandardCharsets.UTF_8))
                .contains("POST /v1/checkin -> 200 from certinext-bot 1.4.2 on vm1")
                .doesNotContain(TOKEN);
    }

    @Test
    void aCheckInWithoutItsRequiredFieldsIs400() throws Exception {
        HttpResponse<String> response = send(checkin("{\"name\":\"bot\"}").header("Authorization", "Bearer x"));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("'version' is missing");
    }

    @Test
    void onlyTheExpectedTokenIsAcceptedWhenOneIsGiven() throws Exception {
        server.close();
        StandInCertificates certificates = StandInCertificates.generate(Clock.systemUTC());
        server = StandInServer.start(
                certificates.serverContext(),
                0,
                CLOCK,
                dir.resolve("checkins.jsonl"),
                TOKEN,
                new PrintStream(log, true, StandardCharsets.UTF_8));
        client = HttpClient.newBuilder().sslContext(trusting(certificates)).build();
        String body = "{\"name\":\"bot\",\"version\":\"1\",\"host\":\"h\"}";

        assertThat(send(checkin(body).header("Authorization", "Bearer other")).statusCode())
                .isEqualTo(401);
        assertThat(send(checkin(body).header("Authorization", "Bearer " + TOKEN))
                        .statusCode())
                .isEqualTo(200);
    }

    @Test
    void unknownPathsAre404() throws Exception {
        assertThat(send(HttpRequest.newBuilder(uri("/nope")).GET()).statusCode())
                .isEqualTo(404);
    }

    @Test
    void theAgentChannelUpgradesToAWebSocketThenPingsAndClosesNormally() throws Exception {
        CompletableFuture<String> ping = new CompletableFuture<>();
        CompletableFuture<Integer> closed = new CompletableFuture<>();
        WebSocket.Listener listener = new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onPing(WebSocket socket, ByteBuffer message) {
                ping.complete(StandardCharsets.US_ASCII.decode(message).toString());
                socket.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket socket, int statusCode, String reason) {
                closed.complete(statusCode);
                return null;
            }
        };

        // The JDK client checks Sec-WebSocket-Accept itself: a wrong one fails buildAsync.
        client.newWebSocketBuilder()
                .buildAsync(URI.create("wss://localhost:" + server.port() + "/agent"), listener)
                .get(10, TimeUnit.SECONDS);

        assertThat(ping.get(10, TimeUnit.SECONDS)).isEqualTo("ferry-platform-standin");
        assertThat(closed.get(10, TimeUnit.SECONDS)).isEqualTo(1000);
    }

    @Test
    void theAcceptKeyIsTheOneOfRfc6455() {
        assertThat(WebSocketChannel.acceptFor("dGhlIHNhbXBsZSBub25jZQ==")).isEqualTo("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
    }

    @Test
    void aPlainGetOfTheAgentChannelIsRefused() throws Exception {
        HttpResponse<String> response =
                send(HttpRequest.newBuilder(uri("/agent")).GET());

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("Upgrade: websocket expected");
    }

    private URI uri(String path) {
        return URI.create("https://localhost:" + server.port() + path);
    }

    private HttpRequest.Builder checkin(String json) {
        return HttpRequest.newBuilder(uri("/v1/checkin"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return client.send(request.version(HttpClient.Version.HTTP_1_1).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static SSLContext trusting(StandInCertificates certificates) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("standin-ca", certificates.ca());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }
}
