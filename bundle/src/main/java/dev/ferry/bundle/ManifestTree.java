package dev.ferry.bundle;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads {@code manifest.json} into a JSON tree, refusing a key given twice in any object and anything after the
 * document. The {@code files} array (one small object per payload file, ten thousand in a JDK's runtime) is read by a
 * loop of its own, on the path between the signature check and the first payload byte: with Jackson's generic tree
 * reader and its duplicate detector per object, that reader's code was what C2 compiled most in a verify of a
 * 10,000-file bundle (about 0.25 s of the compiler thread, JFR), and the loop does a fraction of its work per entry
 * (bench/NOTES.md, "ninth round"). Every other value is read by that generic reader, duplicates refused by
 * {@link DeserializationFeature#FAIL_ON_READING_DUP_TREE_KEY}.
 */
final class ManifestTree {
    private static final ObjectMapper READER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();
    private static final JsonNodeFactory NODES = READER.getNodeFactory();
    private static final String FILES = "files";

    private ManifestTree() {}

    /**
     * The document's value: an object unless the document is something else (null if it is empty), which the caller
     * refuses.
     */
    static JsonNode read(byte[] bytes) throws IOException {
        try (JsonParser json = READER.createParser(bytes)) {
            JsonNode document = json.nextToken() == JsonToken.START_OBJECT ? root(json) : json.readValueAsTree();
            if (json.nextToken() != null) {
                throw new IOException("content after the document's end");
            }
            return document;
        }
    }

    /** The root object, its parser on the object's start. */
    private static ObjectNode root(JsonParser json) throws IOException {
        ObjectNode root = NODES.objectNode();
        for (String key = json.nextFieldName(); key != null; key = json.nextFieldName()) {
            JsonNode value = json.nextToken() == JsonToken.START_ARRAY && FILES.equals(key)
                    ? files(json)
                    : json.readValueAsTree();
            if (root.replace(key, value) != null) {
                throw duplicate(key);
            }
        }
        return root;
    }

    /** The {@code files} array, its parser on the array's start. */
    private static ArrayNode files(JsonParser json) throws IOException {
        ArrayNode files = NODES.arrayNode();
        for (JsonToken token = json.nextToken(); token != JsonToken.END_ARRAY; token = json.nextToken()) {
            files.add(token == JsonToken.START_OBJECT ? file(json) : json.readValueAsTree());
        }
        return files;
    }

    /** One file's object, its parser on the object's start: scalars made directly, anything else by Jackson. */
    private static ObjectNode file(JsonParser json) throws IOException {
        Map<String, JsonNode> fields = new HashMap<>();
        for (String key = json.nextFieldName(); key != null; key = json.nextFieldName()) {
            if (fields.put(key, value(json, json.nextToken())) != null) {
                throw duplicate(key);
            }
        }
        return new ObjectNode(NODES, fields);
    }

    /** A key given twice: which of the two values counts would depend on the reader, so neither does. */
    private static IOException duplicate(String key) {
        return new IOException("Duplicate field '" + key + "'");
    }

    private static JsonNode value(JsonParser json, JsonToken token) throws IOException {
        if (token == JsonToken.VALUE_STRING) {
            return TextNode.valueOf(json.getText());
        }
        if (token == JsonToken.VALUE_NUMBER_INT && json.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
            return LongNode.valueOf(json.getLongValue());
        }
        if (token == JsonToken.VALUE_NULL) {
            return NullNode.getInstance();
        }
        return json.readValueAsTree();
    }
}
