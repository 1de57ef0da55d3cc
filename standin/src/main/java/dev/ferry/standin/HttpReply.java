package dev.ferry.standin;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Writes one HTTP/1.1 response and says the connection closes after it: one request per connection keeps it simple. */
final class HttpReply {
    private HttpReply() {}

    static void json(OutputStream out, Clock clock, int status, String json) throws IOException {
        byte[] body = (json + "\n").getBytes(StandardCharsets.UTF_8);
        // The Date header matters: the installer's clock check compares against it when no NTP server is set.
        String head = "HTTP/1.1 " + status + " " + reason(status) + "\r\n"
                + "Date: "
                + DateTimeFormatter.RFC_1123_DATE_TIME.format(clock.instant().atZone(ZoneOffset.UTC)) + "\r\n"
                + "Server: ferry-platform-standin\r\n"
                + "Content-Type: application/json\r\n"
                + "Content-Length: " + body.length + "\r\n"
                + (status == 401 ? "WWW-Authenticate: Bearer realm=\"platform\"\r\n" : "")
                + "Connection: close\r\n\r\n";
        out.write(head.getBytes(StandardCharsets.ISO_8859_1));
        out.write(body);
        out.flush();
    }

    static String reason(int status) {
        return switch (status) {
            case 101 -> "Switching Protocols";
            case 200 -> "OK";
            case 202 -> "Accepted";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 411 -> "Length Required";
            case 413 -> "Content Too Large";
            case 431 -> "Request Header Fields Too Large";
            default -> "Status";
        };
    }
}
