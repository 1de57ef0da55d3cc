package dev.ferry.standin;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** One HTTP/1.1 request head and its (small, Content-Length framed) body. Enough for a stand-in, nothing more. */
record HttpRequest(String method, String path, Map<String, String> headers, byte[] body) {
    static final int MAX_HEAD = 16 * 1024;
    static final int MAX_BODY = 64 * 1024;

    /** Thrown for a request the stand-in will not serve; {@code status} is the answer it deserves. */
    static final class Malformed extends IOException {
        private static final long serialVersionUID = 1L;
        final int status;

        Malformed(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    /** Reads one request; null when the client closed the connection before sending anything. */
    static HttpRequest read(InputStream in) throws IOException {
        String head = readHead(in);
        if (head == null) {
            return null;
        }
        String[] lines = head.split("\r\n");
        String[] start = lines[0].split(" ");
        if (start.length != 3 || !start[2].startsWith("HTTP/1.")) {
            throw new Malformed(400, "not an HTTP/1.x request line");
        }
        Map<String, String> headers = new TreeMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon <= 0) {
                throw new Malformed(400, "malformed header line");
            }
            headers.put(
                    lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                    lines[i].substring(colon + 1).trim());
        }
        if (headers.containsKey("transfer-encoding")) {
            throw new Malformed(411, "chunked bodies are not served here: send Content-Length");
        }
        int length = contentLength(headers.get("content-length"));
        byte[] body = in.readNBytes(length);
        if (body.length != length) {
            throw new Malformed(400, "body shorter than Content-Length");
        }
        String target = start[1];
        int query = target.indexOf('?');
        return new HttpRequest(start[0], query < 0 ? target : target.substring(0, query), headers, body);
    }

    private static int contentLength(String value) throws Malformed {
        if (value == null) {
            return 0;
        }
        try {
            int length = Integer.parseInt(value);
            if (length < 0) {
                throw new Malformed(400, "negative Content-Length");
            }
            if (length > MAX_BODY) {
                throw new Malformed(413, "body larger than " + MAX_BODY + " bytes");
            }
            return length;
        } catch (NumberFormatException e) {
            throw new Malformed(400, "unreadable Content-Length");
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < end.length) {
            int b = in.read();
            if (b < 0) {
                if (head.size() == 0) {
                    return null;
                }
                throw new Malformed(400, "connection closed inside the request head");
            }
            head.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
            if (head.size() > MAX_HEAD) {
                throw new Malformed(431, "request head larger than " + MAX_HEAD + " bytes");
            }
        }
        String text = head.toString(StandardCharsets.ISO_8859_1);
        return text.substring(0, text.length() - end.length);
    }
}
