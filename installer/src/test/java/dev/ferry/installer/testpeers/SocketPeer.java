package dev.ferry.installer.testpeers;

import dev.ferry.bundle.testing.ClosedPorts;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ServerSocketFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A loopback TCP (or TLS) server that hands every connection to a behaviour: stay silent, write a banner, answer a
 * WebSocket upgrade. Closed with everything it accepted.
 */
public final class SocketPeer implements AutoCloseable {
    /** What to do with one accepted connection. */
    @FunctionalInterface
    public interface Behaviour {
        void serve(Socket socket) throws IOException;
    }

    private final ServerSocket server;
    private final List<Socket> accepted = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    private SocketPeer(ServerSocketFactory factory, Behaviour behaviour) {
        try {
            server = factory.createServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        acceptor = new Thread(
                () -> {
                    while (!server.isClosed()) {
                        try {
                            Socket s = server.accept();
                            accepted.add(s);
                            Thread t = new Thread(
                                    () -> {
                                        try (s) {
                                            behaviour.serve(s);
                                        } catch (IOException ignored) {
                                            // the client went away
                                        }
                                    },
                                    "peer-conn");
                            t.setDaemon(true);
                            t.start();
                        } catch (IOException e) {
                            return;
                        }
                    }
                },
                "peer-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public static SocketPeer plain(Behaviour behaviour) {
        return new SocketPeer(ServerSocketFactory.getDefault(), behaviour);
    }

    public static SocketPeer tls(SSLContext context, Behaviour behaviour) {
        return new SocketPeer(context.getServerSocketFactory(), behaviour);
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Accepts and never sends a byte: a firewall or device that holds connections. */
    public static Behaviour silent() {
        return socket -> {
            InputStream in = socket.getInputStream();
            while (in.read() >= 0) {
                // swallow whatever the client sends, answer nothing
            }
        };
    }

    /** Writes {@code text} and waits for the client to hang up. */
    public static Behaviour writes(String text) {
        return socket -> {
            OutputStream out = socket.getOutputStream();
            out.write(text.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            while (in.read() >= 0) {
                // hold the connection open like a real server would
            }
        };
    }

    /** Completes the TLS handshake (on a TLS peer) and then says nothing. */
    public static Behaviour handshakeOnly() {
        return socket -> {
            if (socket instanceof SSLSocket ssl) {
                ssl.startHandshake();
            }
            silent().serve(socket);
        };
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // already closed
        }
        for (Socket s : accepted) {
            try {
                s.close();
            } catch (IOException ignored) {
                // already closed
            }
        }
    }

    /** A loopback port where nothing listens, held bound (never listening) for the rest of the run. */
    public static int closedPort() {
        return ClosedPorts.hold();
    }

    /**
     * A loopback port that was free a moment ago, for a stock daemon that must bind it itself. Another test may take it
     * in between: start the daemon through {@link PeerProcess#startRetrying}, which tries again on another port.
     */
    static int probablyFreePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
