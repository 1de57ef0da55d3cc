package dev.ferry.installer.testpeers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Clock;

/** An SNTP server (RFC 4330, mode 4, stratum 1) on a UDP loopback port, telling the time of its own clock. */
public final class SntpServer implements AutoCloseable {
    private static final long NTP_TO_UNIX_SECONDS = 2_208_988_800L;
    private final DatagramSocket socket;

    public SntpServer(Clock clock) {
        try {
            socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread t = new Thread(
                () -> {
                    byte[] buf = new byte[48];
                    while (!socket.isClosed()) {
                        try {
                            DatagramPacket request = new DatagramPacket(buf, buf.length);
                            socket.receive(request);
                            long received = clock.millis();
                            byte[] reply = new byte[48];
                            reply[0] = 0x24; // LI 0, version 4, mode 4 (server)
                            reply[1] = 1; // stratum 1
                            System.arraycopy(buf, 40, reply, 24, 8); // originate = the client's transmit time
                            put(reply, 32, received);
                            put(reply, 40, clock.millis());
                            socket.send(new DatagramPacket(reply, reply.length, request.getSocketAddress()));
                        } catch (IOException e) {
                            return;
                        }
                    }
                },
                "sntp-peer");
        t.setDaemon(true);
        t.start();
    }

    private static void put(byte[] buf, int at, long unixMillis) {
        long seconds = Math.floorDiv(unixMillis, 1000) + NTP_TO_UNIX_SECONDS;
        long fraction = ((long) Math.floorMod(unixMillis, 1000) << 32) / 1000;
        ByteBuffer.wrap(buf, at, 8).putInt((int) seconds).putInt((int) fraction);
    }

    public int port() {
        return socket.getLocalPort();
    }

    @Override
    public void close() {
        socket.close();
    }
}
