package dev.ferry.installer.selftest;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The status line and headers of an HTTP/1.x response. Read byte by byte up to the blank line, so nothing after the
 * head is consumed: after a proxy's {@code 200} to CONNECT the rest of the stream belongs to the tunnel.
 */
record HttpHead(int status, String reason, Map<String, String> headers) {
    private static final Pattern STATUS_LINE = Pattern.compile("HTTP/1\\.[01] (\\d{3})(?: (.*))?");
    private static final int MAX_HEAD = 64 * 1024;

    /** Thrown when the peer sent something that is not an HTTP response head. */
    static final class NotHttp extends IOException {
        private static final long serialVersionUID = 1L;
        final String seen;

        NotHttp(String seen) {
            super("not an HTTP response");
            this.seen = seen;
        }
    }

    boolean is2xx() {
        return status >= 200 && status < 300;
    }

    String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    String statusText() {
        return status + (reason.isEmpty() ? "" : " " + reason);
    }

    static void send(OutputStream out, String requestHead) throws IOException {
        out.write(requestHead.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    static HttpHead read(InputStream in) throws IOException {
        String statusLine = line(in, true);
        Matcher m = STATUS_LINE.matcher(statusLine);
        if (!m.matches()) {
            throw new NotHttp(statusLine);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        String line;
        while (!(line = line(in, false)).isEmpty()) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.putIfAbsent(
                        line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        line.substring(colon + 1).trim());
            }
        }
        return new HttpHead(
                Integer.parseInt(m.group(1)),
                m.group(2) == null ? "" : m.group(2).trim(),
                headers);
    }

    private static String line(InputStream in, boolean first) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != '\n') {
            if (b < 0) {
                if (first && buf.size() > 0) {
                    throw new NotHttp(buf.toString(StandardCharsets.ISO_8859_1));
                }
                throw new EOFException("connection closed before the end of the HTTP head");
            }
            if (buf.size() >= MAX_HEAD || (first && buf.size() >= 8 && !startsLikeHttp(buf))) {
                throw new NotHttp(buf.toString(StandardCharsets.ISO_8859_1));
            }
            buf.write(b);
        }
        String s = buf.toString(StandardCharsets.ISO_8859_1);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }

    private static boolean startsLikeHttp(ByteArrayOutputStream buf) {
        return buf.toString(StandardCharsets.ISO_8859_1).startsWith("HTTP/1.");
    }
}
