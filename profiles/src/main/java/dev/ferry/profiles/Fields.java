package dev.ferry.profiles;

import com.fasterxml.jackson.core.JsonToken;
import dev.ferry.profiles.Node.ListNode;
import dev.ferry.profiles.Node.MapNode;
import dev.ferry.profiles.Node.ScalarNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * One map of a profile seen through its schema: the field names it may hold and typed, checked accessors that
 * report errors at the offending value with its full field name ({@code targets[1].port}).
 * An absent field and an explicit null both read as absent.
 */
final class Fields {
    private final MapNode map;
    private final String path;

    private Fields(MapNode map, String path) {
        this.map = map;
        this.path = path;
    }

    /** The map at {@code node}, after checking that it holds only {@code known} fields. */
    static Fields of(Node node, String path, List<String> known) {
        if (!(node instanceof MapNode map)) {
            throw ProfileErrors.at(node, path, "expected a map of fields, got " + node.kind());
        }
        for (var entry : map.entries().entrySet()) {
            if (!known.contains(entry.getKey())) {
                String field = join(path, entry.getKey());
                String hint = Suggestions.closest(entry.getKey(), known)
                        .map(name -> "did you mean '" + name + "'?")
                        .orElse("known fields: " + String.join(", ", known));
                throw ProfileErrors.at(entry.getValue(), field, "unknown field; " + hint);
            }
        }
        return new Fields(map, path);
    }

    String path(String key) {
        return join(path, key);
    }

    Origin origin() {
        return map.origin();
    }

    /** The raw node, or null when absent or null. */
    Node node(String key) {
        Node node = map.get(key);
        return node instanceof ScalarNode s && s.isNull() ? null : node;
    }

    boolean has(String key) {
        return node(key) != null;
    }

    Node required(String key) {
        Node node = node(key);
        if (node == null) {
            throw ProfileErrors.at(
                    map.get(key) != null ? map.get(key).origin() : map.origin(),
                    path(key),
                    "required field is missing");
        }
        return node;
    }

    /** A section (a nested map), or null when absent. */
    Fields section(String key, List<String> known) {
        Node node = node(key);
        return node == null ? null : of(node, path(key), known);
    }

    ScalarNode scalar(String key) {
        Node node = node(key);
        if (node == null) {
            return null;
        }
        if (!(node instanceof ScalarNode scalar)) {
            throw ProfileErrors.at(node, path(key), "expected a single value, got " + node.kind());
        }
        return scalar;
    }

    /** Text as written; numbers and booleans are accepted as their text. Never blank. */
    String text(String key) {
        ScalarNode scalar = scalar(key);
        if (scalar == null) {
            return null;
        }
        if (scalar.text().isBlank()) {
            throw ProfileErrors.at(scalar, path(key), "must not be empty");
        }
        return scalar.text();
    }

    String requiredText(String key) {
        required(key);
        return text(key);
    }

    Long integer(String key, long min, long max) {
        ScalarNode scalar = scalar(key);
        if (scalar == null) {
            return null;
        }
        String range = max == Long.MAX_VALUE ? "of at least " + min : min + "-" + max;
        if (scalar.token() != JsonToken.VALUE_NUMBER_INT) {
            throw ProfileErrors.at(
                    scalar, path(key), "expected a whole number " + range + ", got '" + scalar.text() + "'");
        }
        long value;
        try {
            value = Long.parseLong(scalar.text().replace("_", ""));
        } catch (NumberFormatException e) {
            throw ProfileErrors.at(
                    scalar, path(key), "expected a whole number " + range + ", got '" + scalar.text() + "'");
        }
        if (value < min || value > max) {
            throw ProfileErrors.at(scalar, path(key), "expected a whole number " + range + ", got " + value);
        }
        return value;
    }

    Boolean bool(String key) {
        ScalarNode scalar = scalar(key);
        if (scalar == null) {
            return null;
        }
        return switch (scalar.token()) {
            case VALUE_TRUE -> true;
            case VALUE_FALSE -> false;
            default -> throw ProfileErrors.at(scalar, path(key), "expected true or false, got '" + scalar.text() + "'");
        };
    }

    Instant instant(String key) {
        ScalarNode scalar = scalar(key);
        if (scalar == null) {
            return null;
        }
        try {
            return Instant.parse(scalar.text());
        } catch (DateTimeParseException e) {
            throw ProfileErrors.at(
                    scalar,
                    path(key),
                    "expected an ISO-8601 instant like 2026-11-22T00:00:00Z, got '" + scalar.text() + "'");
        }
    }

    /** The items of a list, or null when absent. */
    List<Node> list(String key) {
        Node node = node(key);
        if (node == null) {
            return null;
        }
        if (!(node instanceof ListNode list)) {
            throw ProfileErrors.at(node, path(key), "expected a list, got " + node.kind());
        }
        return list.items();
    }

    /** A list of non-blank texts, or null when absent. */
    List<String> texts(String key) {
        List<Node> items = list(key);
        if (items == null) {
            return null;
        }
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            Node item = items.get(i);
            String field = path(key) + "[" + i + "]";
            if (!(item instanceof ScalarNode scalar) || scalar.isNull()) {
                throw ProfileErrors.at(item, field, "expected text, got " + item.kind());
            }
            if (scalar.text().isBlank()) {
                throw ProfileErrors.at(item, field, "must not be empty");
            }
            texts.add(scalar.text());
        }
        return texts;
    }

    /** A text that must be one of {@code allowed}. */
    static void oneOf(ScalarNode node, String field, String value, Set<String> allowed) {
        if (!allowed.contains(value)) {
            throw ProfileErrors.at(
                    node,
                    field,
                    "expected one of "
                            + String.join(", ", allowed.stream().sorted().toList()) + ", got '" + value + "'");
        }
    }

    private static String join(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }
}
