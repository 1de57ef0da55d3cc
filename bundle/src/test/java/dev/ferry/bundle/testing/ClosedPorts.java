package dev.ferry.bundle.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * Loopback ports where nothing listens, for tests that expect "connection refused". Binding port 0, closing the
 * socket and using the number races with every other test (and daemon) of the run: a port taken in between turns the
 * expected refusal into a connection to a stranger. So the port stays bound here, by a socket that never listens (a
 * connect to it is refused; no other socket can bind it), until the test JVM exits.
 */
public final class ClosedPorts {
    private static final List<Socket> HELD = new ArrayList<>();

    private ClosedPorts() {}

    /** A loopback port that is bound and never listens, for the rest of this JVM's life. */
    public static synchronized int hold() {
        Socket socket = new Socket();
        try {
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        HELD.add(socket);
        return socket.getLocalPort();
    }
}
