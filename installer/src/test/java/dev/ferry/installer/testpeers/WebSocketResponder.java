package dev.ferry.installer.testpeers;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Locale;

/** A minimal RFC 6455 handshake responder for {@link SocketPeer}: correct, with a wrong accept, or refusing. */
public final class WebSocketResponder {
    private WebSocketResponder() {}

    public enum Mode {
        CORRECT,
        WRONG_ACCEPT,
        NOT_FOUND
    }

    public static SocketPeer.Behaviour of(Mode mode) {
        return socket -> {
            String key = null;
            InputStream in = socket.getInputStream();
            String line;
            while (!(line = line(in)).isEmpty()) {
                if (line.toLowerCase(Locale.ROOT).startsWith("sec-websocket-key:")) {
                    key = line.substring(line.indexOf(':') + 1).trim();
                }
            }
            String response = switch (mode) {
                case CORRECT ->
                    "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                            + "Sec-WebSocket-Accept: " + accept(key) + "\r\n\r\n";
                case WRONG_ACCEPT ->
                    "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                            + "Sec-WebSocket-Accept: " + accept("not-the-key") + "\r\n\r\n";
                case NOT_FOUND -> "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n";
            };
            OutputStream out = socket.getOutputStream();
            out.write(response.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            while (in.read() >= 0) {
                // keep the channel open until the client leaves
            }
        };
    }

    private static String accept(String key) {
        try {
            return Base64.getEncoder()
                    .encodeToString(MessageDigest.getInstance("SHA-1")
                            .digest((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")
                                    .getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != '\n') {
            if (b < 0) {
                throw new IOException("client closed during the handshake");
            }
            buf.write(b);
        }
        return buf.toString(StandardCharsets.US_ASCII).trim();
    }
}
