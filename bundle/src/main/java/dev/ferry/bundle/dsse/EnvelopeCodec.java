package dev.ferry.bundle.dsse;

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
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The JSON form of a DSSE envelope, both ways. Encoding is deterministic (fixed field order, two-space indent,
 * {@code \n}, standard base64). Decoding is strict about the envelope (one JSON object, no duplicated key, a string
 * {@code payloadType}, a base64 {@code payload}, at most {@value #MAX_SIGNATURES} signatures) and lenient about each
 * signature entry: a malformed one is kept as malformed so that it is reported and never counts, rather than letting
 * one bad entry hide the good ones (SPEC section 10). Every refusal is VERIFICATION (exit 3) naming {@code source}.
 */
public final class EnvelopeCodec {
    public static final int MAX_BYTES = 1024 * 1024;
    public static final int MAX_SIGNATURES = 64;
    private static final byte[] MALFORMED = new byte[0];

    private static final ObjectMapper READER = JsonMapper.builder(JsonFactory.builder()
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    private static final ObjectMapper WRITER = new ObjectMapper();

    private EnvelopeCodec() {}

    public static byte[] encode(Envelope envelope) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JsonGenerator json = WRITER.getFactory().createGenerator(bytes)) {
            DefaultIndenter indenter = new DefaultIndenter("  ", "\n");
            json.setPrettyPrinter(
                    new DefaultPrettyPrinter().withObjectIndenter(indenter).withArrayIndenter(indenter));
            json.writeStartObject();
            json.writeStringField("payloadType", envelope.payloadType());
            json.writeStringField("payload", Base64.getEncoder().encodeToString(envelope.payload()));
            json.writeArrayFieldStart("signatures");
            for (EnvelopeSignature signature : envelope.signatures()) {
                json.writeStartObject();
                json.writeStringField("keyid", signature.keyId());
                json.writeStringField("sig", Base64.getEncoder().encodeToString(signature.sig()));
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing JSON to memory cannot fail", e);
        }
        bytes.write('\n');
        return bytes.toByteArray();
    }

    public static Envelope decode(byte[] bytes, String source) {
        if (bytes.length > MAX_BYTES) {
            throw fail(source, "a DSSE envelope of " + bytes.length + " bytes is over the limit of " + MAX_BYTES);
        }
        JsonNode root;
        try {
            root = READER.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw fail(source, "not a DSSE envelope: invalid JSON (" + e.getOriginalMessage() + ")");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (root == null || !root.isObject()) {
            throw fail(source, "not a DSSE envelope: expected a JSON object");
        }
        JsonNode type = root.get("payloadType");
        if (type == null || !type.isTextual() || type.asText().isEmpty()) {
            throw fail(source, "not a DSSE envelope: no payloadType");
        }
        JsonNode payload = root.get("payload");
        byte[] payloadBytes = payload != null && payload.isTextual() ? base64(payload.asText()) : null;
        if (payloadBytes == null) {
            throw fail(source, "not a DSSE envelope: payload is missing or not base64");
        }
        JsonNode signatures = root.get("signatures");
        if (signatures == null || !signatures.isArray()) {
            throw fail(source, "not a DSSE envelope: no signatures array");
        }
        if (signatures.size() > MAX_SIGNATURES) {
            throw fail(source, signatures.size() + " signatures, over the limit of " + MAX_SIGNATURES);
        }
        List<EnvelopeSignature> found = new ArrayList<>();
        for (JsonNode entry : signatures) {
            found.add(signature(entry));
        }
        return new Envelope(type.asText(), payloadBytes, found);
    }

    private static EnvelopeSignature signature(JsonNode entry) {
        JsonNode keyId = entry.isObject() ? entry.get("keyid") : null;
        JsonNode sig = entry.isObject() ? entry.get("sig") : null;
        String id = keyId != null && keyId.isTextual() ? keyId.asText() : "";
        byte[] bytes = sig != null && sig.isTextual() ? base64(sig.asText()) : null;
        return new EnvelopeSignature(id, bytes == null ? MALFORMED : bytes);
    }

    /** Standard or URL-safe base64 (DSSE allows either); null when it is neither. */
    private static byte[] base64(String text) {
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException notStandard) {
            try {
                return Base64.getUrlDecoder().decode(text);
            } catch (IllegalArgumentException neither) {
                return null;
            }
        }
    }

    private static FerryException fail(String source, String what) {
        return FerryException.verification(source + ": " + what);
    }
}
