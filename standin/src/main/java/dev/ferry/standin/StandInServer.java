package dev.ferry.standin;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;

/**
 * The platform's HTTPS API on loopback: {@code GET /health}, {@code POST /v1/checkin} and the {@code GET /agent}
 * WebSocket channel. One request per connection, each on its own daemon thread.
 */
public final class StandInServer implements Closeable {
    static final int READ_TIMEOUT_MS = 10_000;
    static final int CLOSE_WAIT_MS = 2_000;

    private final ServerSocket socket;
    private final Clock clock;
    private final CheckinRecord record;
    private final String expectedToken;
    private final PrintStream log;
    private final ExecutorService workers = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "standin-connection");
        thread.setDaemon(true);
        return thread;
    });

    /**
     * @param port          0 picks a free one; a fixed one can be taken again at once after a restart
     * @param expectedToken the only token accepted, or null to accept any non-empty bearer token
     */
    public static StandInServer start(
            SSLContext tls, int port, Clock clock, Path recordFile, String expectedToken, PrintStream log)
            throws IOException {
        return start(tls, InetAddress.getLoopbackAddress(), port, clock, recordFile, expectedToken, log);
    }

    /** @param address the local address to listen on (loopback unless a test gives its own namespace's veth) */
    public static StandInServer start(
            SSLContext tls,
            InetAddress address,
            int port,
            Clock clock,
            Path recordFile,
            String expectedToken,
            PrintStream log)
            throws IOException {
        SSLServerSocket socket = (SSLServerSocket) tls.getServerSocketFactory().createServerSocket();
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress(address, port), 50);
        StandInServer server = new StandInServer(socket, clock, new CheckinRecord(recordFile), expectedToken, log);
        Thread acceptor = new Thread(server::acceptLoop, "standin-accept");
        acceptor.setDaemon(true);
        acceptor.start();
        return server;
    }

    private StandInServer(
            ServerSocket socket, Clock clock, CheckinRecord record, String expectedToken, PrintStream log) {
        this.socket = socket;
        this.clock = clock;
        this.record = record;
        this.expectedToken = expectedToken;
        this.log = log;
    }

    public int port() {
        return socket.getLocalPort();
    }

    @Override
    public void close() throws IOException {
        socket.close();
        workers.shutdownNow();
    }

    private void acceptLoop() {
        while (!socket.isClosed()) {
            try {
                Socket connection = socket.accept();
                workers.execute(() -> serve(connection));
            } catch (SocketException e) {
                return; // closed by close()
            } catch (IOException e) {
                log.println("standin: accept failed: " + e.getMessage());
            }
        }
    }

    private void serve(Socket connection) {
        try (connection) {
            connection.setSoTimeout(READ_TIMEOUT_MS);
            InputStream in = connection.getInputStream();
            OutputStream out = connection.getOutputStream();
            try {
                HttpRequest request = HttpRequest.read(in);
                if (request != null) {
                    route(request, connection);
                }
            } catch (HttpRequest.Malformed e) {
                reply(out, e.status, error(e.getMessage()));
            }
        } catch (IOException e) {
            // A client that goes away mid-request (or fails the TLS handshake, as a probe may) is not our problem.
        }
    }

    private void route(HttpRequest request, Socket connection) throws IOException {
        OutputStream out = connection.getOutputStream();
        String route = request.method() + " " + request.path();
        switch (request.path()) {
            case "/health" -> {
                if (!"GET".equals(request.method()) && !"HEAD".equals(request.method())) {
                    reply(out, 405, error("GET /health"));
                    return;
                }
                reply(
                        out,
                        200,
                        "{\"status\":\"ok\",\"service\":\"ferry-platform-standin\",\"time\":\"" + clock.instant()
                                + "\"}");
            }
            case "/v1/checkin" -> checkin(request, out);
            case "/agent" -> {
                String problem = WebSocketChannel.problem(request);
                if (problem != null) {
                    reply(out, 400, error(problem));
                    return;
                }
                WebSocketChannel.accept(request, out);
                connection.setSoTimeout(CLOSE_WAIT_MS);
                try {
                    WebSocketChannel.awaitClose(connection.getInputStream());
                } catch (IOException e) {
                    // No close frame in time (or the client just hung up): the connection ends anyway.
                }
                log.println("standin: " + route + " -> 101 (ping, close)");
            }
            default -> reply(out, 404, error("no such path: " + request.path()));
        }
    }

    private void checkin(HttpRequest request, OutputStream out) throws IOException {
        if (!"POST".equals(request.method())) {
            reply(out, 405, error("POST /v1/checkin"));
            return;
        }
        String token = bearer(request.header("Authorization"));
        if (token == null) {
            log.println("standin: POST /v1/checkin -> 401 (no bearer token)");
            reply(out, 401, error("a bearer token is required"));
            return;
        }
        if (expectedToken != null
                && !MessageDigest.isEqual(
                        token.getBytes(StandardCharsets.UTF_8), expectedToken.getBytes(StandardCharsets.UTF_8))) {
            log.println("standin: POST /v1/checkin -> 401 (unknown token)");
            reply(out, 401, error("unknown token"));
            return;
        }
        ObjectNode line;
        try {
            line = CheckinRecord.parse(request.body(), clock.instant());
        } catch (CheckinRecord.InvalidCheckin e) {
            reply(out, 400, error(e.getMessage()));
            return;
        }
        record.append(line, token);
        log.println("standin: POST /v1/checkin -> 200 from " + line.get("name").asText() + " "
                + line.get("version").asText() + " on " + line.get("host").asText());
        reply(
                out,
                200,
                "{\"accepted\":true,\"receivedAt\":\"" + line.get("receivedAt").asText() + "\"}");
    }

    private static String bearer(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String token = authorization.substring(7).trim();
        return token.isEmpty() ? null : token;
    }

    private void reply(OutputStream out, int status, String json) throws IOException {
        HttpReply.json(out, clock, status, json);
    }

    private static String error(String message) {
        return CheckinRecord.toJson(JsonNodeFactory.instance.objectNode().put("error", message));
    }
}
