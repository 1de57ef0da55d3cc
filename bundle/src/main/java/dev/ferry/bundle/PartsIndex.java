package dev.ferry.bundle;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.common.FerryException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The {@code NAME-VERSION.bundle.tar.zst.parts} index of a split bundle (SPEC section 11): the whole bundle's file
 * name, size and SHA-256, then each part ({@code .001}, {@code .002}, ...) with its size and SHA-256. The index is
 * not signed: it only says how to put the parts back together and which one was damaged on the way; what the parts
 * add up to is still checked against the signed manifest by the one verifier, and against the index's own sha256.
 *
 * @param bundle the whole bundle's file name, {@code NAME-VERSION.bundle.tar.zst}
 */
public record PartsIndex(String bundle, long size, String sha256, List<Part> parts) {
    public static final String SUFFIX = ".parts";
    public static final String FORMAT = "ferry-parts/1";
    /** An index of a few thousand parts is a few hundred KiB; more is not an index. */
    static final long MAX_BYTES = 1 << 20;

    private static final Pattern BUNDLE_NAME =
            Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]{0,200}\\.bundle\\.tar\\.zst");
    private static final Pattern PART_SUFFIX = Pattern.compile("\\.[0-9]{3,}");

    /**
     * Built when an index is first read or written, not when a file name is first looked at: every command that takes
     * a bundle asks whether it is split, and building two mappers cost a whole bundle's install ~25 ms at start.
     */
    private static final class Json {
        static final ObjectMapper READER = JsonMapper.builder(JsonFactory.builder()
                        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                        .build())
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .build();
        static final ObjectMapper WRITER =
                JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
    }

    /** One part: its file name (beside the index), size and SHA-256. */
    public record Part(String name, long size, String sha256) {}

    public PartsIndex {
        parts = List.copyOf(parts);
    }

    /** {@code NAME.001}, {@code NAME.002}, ... ({@code .1000} after {@code .999}). */
    public static String partName(String bundle, int number) {
        return bundle + String.format(".%03d", number);
    }

    public static String indexName(String bundle) {
        return bundle + SUFFIX;
    }

    /** True for a name like {@code X.bundle.tar.zst.001}: the first (or any) part of a split bundle. */
    static boolean looksLikePart(String fileName) {
        int dot = fileName.lastIndexOf('.');
        return dot > 0 && PART_SUFFIX.matcher(fileName.substring(dot)).matches();
    }

    /** The whole bundle's name a part belongs to: {@code X.bundle.tar.zst.003} gives {@code X.bundle.tar.zst}. */
    static String bundleOfPart(String fileName) {
        return fileName.substring(0, fileName.lastIndexOf('.'));
    }

    public byte[] encode() {
        ObjectNode root = Json.WRITER.createObjectNode();
        root.put("format", FORMAT);
        root.put("bundle", bundle);
        root.put("size", size);
        root.put("sha256", sha256);
        ArrayNode list = root.putArray("parts");
        for (Part part : parts) {
            list.addObject().put("name", part.name()).put("size", part.size()).put("sha256", part.sha256());
        }
        try {
            return (Json.WRITER.writeValueAsString(root) + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("a tree of strings and numbers always encodes", e);
        }
    }

    /**
     * Reads and checks an index: every field present and well formed, parts named {@code BUNDLE.001} onwards in
     * order, their sizes adding up to the whole. Anything else is exit 3 naming the index.
     */
    public static PartsIndex read(Path index) {
        String source = index.toString();
        byte[] bytes;
        try {
            if (Files.size(index) > MAX_BYTES) {
                throw malformed(source, "larger than " + MAX_BYTES + " bytes");
            }
            try (InputStream in = Files.newInputStream(index)) {
                bytes = in.readNBytes((int) MAX_BYTES + 1);
            }
        } catch (NoSuchFileException e) {
            throw FerryException.verification(source + ": the index of the split bundle is missing: copy it too"
                    + " (it travels beside the parts)");
        } catch (IOException e) {
            throw FerryException.usage(source + ": cannot read: " + e.getMessage());
        }
        JsonNode root;
        try {
            root = Json.READER.readTree(bytes);
        } catch (IOException e) {
            throw malformed(source, "not JSON");
        }
        if (root == null || !root.isObject()) {
            throw malformed(source, "not a JSON object");
        }
        if (!FORMAT.equals(text(root, "format", source))) {
            throw malformed(source, "format is not " + FORMAT);
        }
        String bundle = text(root, "bundle", source);
        if (!BUNDLE_NAME.matcher(bundle).matches()) {
            throw malformed(source, "bundle: not a bundle file name: " + Printable.quote(bundle));
        }
        if (!index.getFileName().toString().equals(indexName(bundle))) {
            throw malformed(source, "it is the index of " + bundle + ", so its name must be " + indexName(bundle));
        }
        long size = size(root, "size", source);
        String sha256 = sha256(root, source);
        JsonNode list = root.get("parts");
        if (list == null || !list.isArray() || list.isEmpty()) {
            throw malformed(source, "parts: expected a non-empty list");
        }
        List<Part> parts = new ArrayList<>();
        long sum = 0;
        for (JsonNode node : list) {
            if (!node.isObject()) {
                throw malformed(source, "parts: expected objects");
            }
            String name = text(node, "name", source);
            String expected = partName(bundle, parts.size() + 1);
            if (!name.equals(expected)) {
                throw malformed(
                        source,
                        "part " + (parts.size() + 1) + " is named " + Printable.quote(name) + ", expected " + expected);
            }
            Part part = new Part(name, size(node, "size", source), sha256(node, source));
            if (part.size() == 0) {
                throw malformed(source, name + " is empty");
            }
            sum += part.size();
            parts.add(part);
        }
        if (sum != size) {
            throw malformed(source, "the parts add up to " + sum + " bytes, the index says the bundle is " + size);
        }
        return new PartsIndex(bundle, size, sha256, parts);
    }

    private static String text(JsonNode node, String field, String source) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw malformed(source, field + ": expected a string");
        }
        return value.textValue();
    }

    private static long size(JsonNode node, String field, String source) {
        JsonNode value = node.get(field);
        if (value == null || !value.isIntegralNumber() || !value.canConvertToLong() || value.longValue() < 0) {
            throw malformed(source, field + ": expected a size in bytes");
        }
        return value.longValue();
    }

    private static String sha256(JsonNode node, String source) {
        String value = text(node, "sha256", source);
        if (!Sha256.isHex(value)) {
            throw malformed(source, "sha256: expected 64 lowercase hex digits");
        }
        return value;
    }

    private static FerryException malformed(String source, String problem) {
        return FerryException.verification(source + ": not a valid index of bundle parts: " + problem);
    }
}
