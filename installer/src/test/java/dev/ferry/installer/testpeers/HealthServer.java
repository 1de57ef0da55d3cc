package dev.ferry.installer.testpeers;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;

/** A JDK HTTPS server on loopback answering {@code /health} with a chosen status and a Date header from its clock. */
public final class HealthServer implements AutoCloseable {
    private final HttpsServer server;
    private final AtomicInteger status;
    private final AtomicInteger hits = new AtomicInteger();

    public HealthServer(SSLContext tls, int status, Clock clock) {
        this.status = new AtomicInteger(status);
        try {
            server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        server.createContext("/", exchange -> {
            hits.incrementAndGet();
            byte[] body = (exchange.getRequestURI().getPath().equals("/health") ? "ok" : "no such path")
                    .getBytes(StandardCharsets.UTF_8);
            int code = exchange.getRequestURI().getPath().equals("/health") ? this.status.get() : 404;
            exchange.getResponseHeaders()
                    .set(
                            "Date",
                            DateTimeFormatter.RFC_1123_DATE_TIME.format(
                                    clock.instant().atZone(ZoneOffset.UTC)));
            exchange.sendResponseHeaders(code, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public int hits() {
        return hits.get();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
