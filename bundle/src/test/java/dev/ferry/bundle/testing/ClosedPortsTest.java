package dev.ferry.bundle.testing;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.BindException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import org.junit.jupiter.api.Test;

/** A held closed port refuses connections and cannot be taken by anyone else while the test runs. */
class ClosedPortsTest {
    @Test
    void aHeldPortRefusesAndCannotBeBoundAgain() {
        int port = ClosedPorts.hold();
        InetAddress loopback = InetAddress.getLoopbackAddress();
        assertThatThrownBy(() -> {
                    try (Socket s = new Socket()) {
                        s.connect(new InetSocketAddress(loopback, port), 2_000);
                    }
                })
                .isInstanceOf(ConnectException.class);
        assertThatThrownBy(() -> {
                    try (ServerSocket thief = new ServerSocket()) {
                        thief.bind(new InetSocketAddress(loopback, port));
                    }
                })
                .isInstanceOf(BindException.class);
    }
}
