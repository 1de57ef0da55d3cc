package dev.ferry.bundle.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * Reads what a {@code --json} command printed on stdout, as a script piping it into {@code jq} would: exactly one
 * JSON object or array and nothing else. Jackson's own {@code readTree} stops after the first value and ignores a
 * warning, a progress line or a second document behind it; this fails on them, and on a duplicate key. Every test of a
 * {@code --json} command reads its output through here.
 */
public final class JsonDocument {
    private static final ObjectMapper STRICT = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private JsonDocument() {}

    /** The one document in {@code stdout}; an {@link AssertionError} quoting the output if it is not exactly one. */
    public static JsonNode parse(String stdout) {
        if (stdout == null || stdout.isBlank()) {
            throw new AssertionError("--json printed nothing; expected one JSON document");
        }
        JsonNode doc;
        try {
            doc = STRICT.readTree(stdout);
        } catch (JsonProcessingException e) {
            throw new AssertionError(
                    "--json output is not exactly one JSON document (" + e.getOriginalMessage() + "):\n" + stdout, e);
        }
        if (!doc.isContainerNode()) {
            throw new AssertionError(
                    "--json output is a bare " + doc.getNodeType() + ", not an object or array:\n" + stdout);
        }
        return doc;
    }
}
