package dev.ferry.standin;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Locale;

/**
 * The platform's persistent channel, reduced to what a client can check: a correct RFC 6455 upgrade, then one ping
 * and a normal close. It then waits (briefly) for the client's close frame, skipping anything else, so that the
 * TCP connection ends cleanly instead of being reset under frames the client has not read yet.
 */
final class WebSocketChannel {
    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    private static final int OPCODE_CLOSE = 0x8;
    private static final int OPCODE_PING = 0x9;
    private static final int NORMAL_CLOSURE = 1000;

    private WebSocketChannel() {}

    /** Why {@code request} is not a valid upgrade, or null when it is. */
    static String problem(HttpRequest request) {
        if (!"GET".equals(request.method())) {
            return "a WebSocket upgrade is a GET";
        }
        if (!"websocket".equalsIgnoreCase(String.valueOf(request.header("Upgrade")))) {
            return "Upgrade: websocket expected";
        }
        if (!String.valueOf(request.header("Connection"))
                .toLowerCase(Locale.ROOT)
                .contains("upgrade")) {
            return "Connection: Upgrade expected";
        }
        if (!"13".equals(request.header("Sec-WebSocket-Version"))) {
            return "Sec-WebSocket-Version: 13 expected";
        }
        String key = request.header("Sec-WebSocket-Key");
        try {
            if (key == null || Base64.getDecoder().decode(key).length != 16) {
                return "Sec-WebSocket-Key must be 16 bytes in base64";
            }
        } catch (IllegalArgumentException e) {
            return "Sec-WebSocket-Key is not base64";
        }
        return null;
    }

    static String acceptFor(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest((key + GUID).getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is required of every Java runtime", e);
        }
    }

    /** Answers a valid upgrade (see {@link #problem}) with 101, a ping and a close frame. */
    static void accept(HttpRequest request, OutputStream out) throws IOException {
        String head = "HTTP/1.1 101 Switching Protocols\r\n"
                + "Upgrade: websocket\r\n"
                + "Connection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: " + acceptFor(request.header("Sec-WebSocket-Key")) + "\r\n\r\n";
        out.write(head.getBytes(StandardCharsets.ISO_8859_1));
        out.write(frame(OPCODE_PING, "ferry-platform-standin".getBytes(StandardCharsets.US_ASCII)));
        byte[] reason = "stand-in: goodbye".getBytes(StandardCharsets.US_ASCII);
        byte[] close = new byte[2 + reason.length];
        close[0] = (byte) (NORMAL_CLOSURE >> 8);
        close[1] = (byte) NORMAL_CLOSURE;
        System.arraycopy(reason, 0, close, 2, reason.length);
        out.write(frame(OPCODE_CLOSE, close));
        out.flush();
    }

    /** Reads client frames until its close frame (or end of stream); payloads are skipped, never kept. */
    static void awaitClose(InputStream in) throws IOException {
        while (true) {
            int first = in.read();
            int second = in.read();
            if (first < 0 || second < 0) {
                return;
            }
            long length = second & 0x7f;
            if (length == 126) {
                length = readUnsigned(in, 2);
            } else if (length == 127) {
                length = readUnsigned(in, 8);
            }
            long skip = length + ((second & 0x80) != 0 ? 4 : 0); // the client's masking key
            in.skipNBytes(skip);
            if ((first & 0x0f) == OPCODE_CLOSE) {
                return;
            }
        }
    }

    private static long readUnsigned(InputStream in, int bytes) throws IOException {
        long value = 0;
        for (int i = 0; i < bytes; i++) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("stream ended inside a frame header");
            }
            value = (value << 8) | b;
        }
        return value;
    }

    /** One final, unmasked (server to client) frame; control frames carry at most 125 bytes. */
    static byte[] frame(int opcode, byte[] payload) {
        if (payload.length > 125) {
            throw new IllegalArgumentException("control frame payload over 125 bytes");
        }
        byte[] frame = new byte[2 + payload.length];
        frame[0] = (byte) (0x80 | opcode);
        frame[1] = (byte) payload.length;
        System.arraycopy(payload, 0, frame, 2, payload.length);
        return frame;
    }
}
