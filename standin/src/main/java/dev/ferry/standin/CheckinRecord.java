package dev.ferry.standin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;

/**
 * The check-ins the stand-in received, one JSON object a line: {@code receivedAt} and the agent's own fields
 * ({@code name}, {@code version}, {@code host}, ...). The bearer token is never part of it.
 */
final class CheckinRecord {
    static final List<String> REQUIRED = List.of("name", "version", "host");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;

    /** @param file where the lines go; null records nothing */
    CheckinRecord(Path file) {
        this.file = file;
    }

    /** The check-in in {@code body} as a record line, or an exception saying what the body lacks. */
    static ObjectNode parse(byte[] body, Instant receivedAt) throws InvalidCheckin {
        JsonNode node;
        try {
            node = JSON.readTree(body);
        } catch (IOException e) {
            throw new InvalidCheckin("the body is not JSON");
        }
        if (node == null || !node.isObject()) {
            throw new InvalidCheckin("the body must be a JSON object");
        }
        for (String field : REQUIRED) {
            if (!node.hasNonNull(field) || node.get(field).asText().isBlank()) {
                throw new InvalidCheckin("'" + field + "' is missing");
            }
        }
        ObjectNode line = JSON.createObjectNode().put("receivedAt", receivedAt.toString());
        line.setAll((ObjectNode) node);
        return line;
    }

    /**
     * Appends the line. {@code token} is only used to keep it out: an agent that wrongly puts its token in the body
     * still leaves no token in the record.
     */
    synchronized void append(ObjectNode line, String token) throws IOException {
        if (file == null) {
            return;
        }
        String text = toJson(line);
        if (token != null && !token.isEmpty()) {
            text = text.replace(token, "<redacted>");
        }
        Files.writeString(
                file,
                text + "\n",
                StandardCharsets.UTF_8,
                StandardOpenOption.CREATE,
                StandardOpenOption.APPEND,
                StandardOpenOption.WRITE);
    }

    static String toJson(JsonNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static final class InvalidCheckin extends Exception {
        private static final long serialVersionUID = 1L;

        InvalidCheckin(String message) {
            super(message);
        }
    }
}
