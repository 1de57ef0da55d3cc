package dev.ferry.bundle.trust;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.ferry.common.FerryException;
import dev.ferry.keys.KeyId;
import dev.ferry.keys.PublicKeys;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.PublicKey;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The {@code ferry-trust/1} document, both ways. Encoding is deterministic (the signed bytes depend on it).
 * Decoding is strict and whole: a document that names a key under a key id that is not its own, a threshold that
 * its keys (less the revoked ones) can never meet, or anything it cannot read is refused as VERIFICATION (exit 3)
 * naming {@code source}: a trust document is never half understood. Unknown fields are ignored (SPEC lets later
 * versions add some).
 */
public final class TrustDocumentCodec {
    private static final ObjectMapper READER = JsonMapper.builder(JsonFactory.builder()
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    private static final ObjectMapper WRITER = new ObjectMapper();
    private static final int MAX_ENTRIES = 1000;

    private TrustDocumentCodec() {}

    public static byte[] encode(TrustDocument doc) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JsonGenerator json = WRITER.getFactory().createGenerator(bytes)) {
            DefaultIndenter indenter = new DefaultIndenter("  ", "\n");
            json.setPrettyPrinter(
                    new DefaultPrettyPrinter().withObjectIndenter(indenter).withArrayIndenter(indenter));
            json.writeStartObject();
            json.writeStringField("format", TrustDocument.FORMAT);
            json.writeNumberField("version", doc.version());
            json.writeStringField("expiresAt", doc.expiresAt().toString());
            writeRole(json, "root", doc.root());
            writeRole(json, "release", doc.release());
            json.writeObjectFieldStart("revoked");
            json.writeArrayFieldStart("keys");
            for (String id : doc.revokedKeys()) {
                json.writeString(id);
            }
            json.writeEndArray();
            json.writeArrayFieldStart("tokens");
            for (String id : doc.revokedTokens()) {
                json.writeString(id);
            }
            json.writeEndArray();
            json.writeEndObject();
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing JSON to memory cannot fail", e);
        }
        bytes.write('\n');
        return bytes.toByteArray();
    }

    private static void writeRole(JsonGenerator json, String name, Role role) throws IOException {
        json.writeObjectFieldStart(name);
        json.writeNumberField("threshold", role.threshold());
        json.writeObjectFieldStart("keys");
        for (Map.Entry<String, PublicKey> key : role.keys().entrySet()) {
            json.writeStringField(key.getKey(), PublicKeys.toPem(key.getValue()));
        }
        json.writeEndObject();
        json.writeEndObject();
    }

    public static TrustDocument decode(byte[] bytes, String source) {
        JsonNode root;
        try {
            root = READER.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw fail(source, "invalid JSON (" + e.getOriginalMessage() + ")");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (root == null || !root.isObject()) {
            throw fail(source, "expected a JSON object");
        }
        JsonNode format = root.get("format");
        if (format == null || !TrustDocument.FORMAT.equals(format.asText(null))) {
            throw fail(source, "format: expected \"" + TrustDocument.FORMAT + "\"");
        }
        JsonNode version = root.get("version");
        if (version == null || !version.isIntegralNumber() || !version.canConvertToLong() || version.asLong() < 1) {
            throw fail(source, "version: expected a whole number from 1");
        }
        Instant expiresAt = instant(root.get("expiresAt"), source);
        Set<String> revokedKeys = strings(root.path("revoked").get("keys"), "revoked.keys", source);
        Set<String> revokedTokens = strings(root.path("revoked").get("tokens"), "revoked.tokens", source);
        for (String id : revokedKeys) {
            if (!KeyId.looksValid(id)) {
                throw fail(source, "revoked.keys: " + printable(id) + " is not a key id (16 lowercase hex digits)");
            }
        }
        Role rootRole = role(root.get("root"), "root", revokedKeys, source);
        Role release = role(root.get("release"), "release", revokedKeys, source);
        return new TrustDocument(version.asLong(), expiresAt, rootRole, release, revokedKeys, revokedTokens);
    }

    private static Role role(JsonNode node, String name, Set<String> revoked, String source) {
        if (node == null || !node.isObject()) {
            throw fail(source, name + ": missing");
        }
        JsonNode threshold = node.get("threshold");
        JsonNode keys = node.get("keys");
        if (threshold == null
                || !threshold.isIntegralNumber()
                || !threshold.canConvertToInt()
                || threshold.asInt() < 1) {
            throw fail(source, name + ".threshold: expected a whole number from 1");
        }
        if (keys == null || !keys.isObject() || keys.size() > MAX_ENTRIES) {
            throw fail(source, name + ".keys: expected an object of KEYID: PEM");
        }
        Map<String, PublicKey> byId = new TreeMap<>();
        Iterator<Map.Entry<String, JsonNode>> fields = keys.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String where = name + ".keys." + printable(field.getKey());
            if (!field.getValue().isTextual()) {
                throw fail(source, where + ": expected a PEM public key");
            }
            PublicKey key;
            try {
                key = PublicKeys.parse(field.getValue().asText(), where);
            } catch (FerryException e) {
                throw fail(source, where + ": not an Ed25519 public key");
            }
            if (!KeyId.of(key).equals(field.getKey())) {
                throw fail(source, where + ": the key's id is " + KeyId.of(key) + ", not the one it is named under");
            }
            byId.put(field.getKey(), key);
        }
        long inForce =
                byId.keySet().stream().filter(id -> !revoked.contains(id)).count();
        if (threshold.asInt() > inForce) {
            throw fail(
                    source,
                    name + ".threshold " + threshold.asInt() + " can never be met: " + inForce
                            + " key(s) that are not revoked");
        }
        return new Role(threshold.asInt(), byId);
    }

    private static Set<String> strings(JsonNode node, String name, String source) {
        Set<String> values = new LinkedHashSet<>();
        if (node == null) {
            return values;
        }
        if (!node.isArray() || node.size() > MAX_ENTRIES) {
            throw fail(source, name + ": expected an array of strings");
        }
        for (JsonNode value : node) {
            if (!value.isTextual() || value.asText().isEmpty()) {
                throw fail(source, name + ": expected an array of strings");
            }
            values.add(value.asText());
        }
        return values;
    }

    private static Instant instant(JsonNode node, String source) {
        try {
            if (node != null && node.isTextual()) {
                return Instant.parse(node.asText());
            }
        } catch (DateTimeParseException e) {
            // Worded below, with the other shapes that are not an instant.
        }
        throw fail(source, "expiresAt: expected an ISO-8601 UTC instant such as 2027-12-01T00:00:00Z");
    }

    private static String printable(String s) {
        String cut = s.length() > 40 ? s.substring(0, 40) + "..." : s;
        return "'" + cut.replaceAll("[^\\x20-\\x7e]", "?") + "'";
    }

    private static FerryException fail(String source, String what) {
        return FerryException.verification(source + ": not a valid trust document: " + what);
    }
}
