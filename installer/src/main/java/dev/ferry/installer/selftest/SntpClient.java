package dev.ferry.installer.selftest;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;

/**
 * One SNTP query (RFC 4330): the offset of {@code local} against the server, {@code ((T2 - T1) + (T3 - T4)) / 2},
 * where T1 and T4 are read from the local clock and T2, T3 come from the server.
 */
final class SntpClient {
    static final int DEFAULT_PORT = 123;
    private static final long NTP_TO_UNIX_SECONDS = 2_208_988_800L;
    private static final int PACKET = 48;

    /** Thrown when the answer is not a usable SNTP reply. */
    static final class BadReply extends IOException {
        private static final long serialVersionUID = 1L;

        BadReply(String message) {
            super(message);
        }
    }

    private SntpClient() {}

    static Duration offset(InetAddress address, int port, Clock local, Duration timeout) throws IOException {
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.setSoTimeout((int) Math.max(1, timeout.toMillis()));
            byte[] request = new byte[PACKET];
            request[0] = 0x23; // LI 0, version 4, mode 3 (client)
            long t1 = local.millis();
            writeTimestamp(request, 40, t1);
            socket.send(new DatagramPacket(request, PACKET, new InetSocketAddress(address, port)));
            byte[] reply = new byte[PACKET];
            DatagramPacket packet = new DatagramPacket(reply, PACKET);
            socket.receive(packet);
            long t4 = local.millis();
            if (packet.getLength() < PACKET) {
                throw new BadReply("a reply of " + packet.getLength() + " bytes");
            }
            int mode = reply[0] & 0x7;
            int stratum = reply[1] & 0xff;
            if (mode != 4 && mode != 5) {
                throw new BadReply("a reply in mode " + mode);
            }
            if (stratum == 0 || stratum > 15) {
                throw new BadReply("an unsynchronised server (stratum " + stratum + ")");
            }
            if (!ByteBuffer.wrap(reply, 24, 8).equals(ByteBuffer.wrap(request, 40, 8))) {
                throw new BadReply("a reply to another request");
            }
            long t2 = readTimestamp(reply, 32);
            long t3 = readTimestamp(reply, 40);
            return Duration.ofMillis(((t2 - t1) + (t3 - t4)) / 2);
        }
    }

    static void writeTimestamp(byte[] buf, int at, long unixMillis) {
        long seconds = Math.floorDiv(unixMillis, 1000) + NTP_TO_UNIX_SECONDS;
        long fraction = ((long) Math.floorMod(unixMillis, 1000) << 32) / 1000;
        ByteBuffer.wrap(buf, at, 8).putInt((int) seconds).putInt((int) fraction);
    }

    static long readTimestamp(byte[] buf, int at) {
        ByteBuffer b = ByteBuffer.wrap(buf, at, 8);
        long seconds = b.getInt() & 0xffffffffL;
        long fraction = b.getInt() & 0xffffffffL;
        return (seconds - NTP_TO_UNIX_SECONDS) * 1000 + ((fraction * 1000) >>> 32);
    }
}
