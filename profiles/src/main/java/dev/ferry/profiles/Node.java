package dev.ferry.profiles;

import com.fasterxml.jackson.core.JsonToken;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A YAML value with the place it was written, so that every error can name its file and line. */
sealed interface Node permits Node.MapNode, Node.ListNode, Node.ScalarNode {
    Origin origin();

    /** What this node is, for "expected X, got Y" messages. */
    String kind();

    record MapNode(Map<String, Node> entries, Origin origin) implements Node {
        public MapNode {
            entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
        }

        Node get(String key) {
            return entries.get(key);
        }

        MapNode without(String key) {
            Map<String, Node> copy = new LinkedHashMap<>(entries);
            copy.remove(key);
            return new MapNode(copy, origin);
        }

        @Override
        public String kind() {
            return "a map";
        }
    }

    record ListNode(List<Node> items, Origin origin) implements Node {
        public ListNode {
            items = List.copyOf(items);
        }

        @Override
        public String kind() {
            return "a list";
        }
    }

    /** A scalar keeps its text as written ({@code 1.10} stays "1.10"); {@code text} is null for a YAML null. */
    record ScalarNode(JsonToken token, String text, Origin origin) implements Node {
        boolean isNull() {
            return token == JsonToken.VALUE_NULL;
        }

        @Override
        public String kind() {
            return switch (token) {
                case VALUE_NULL -> "nothing";
                case VALUE_TRUE, VALUE_FALSE -> "a boolean";
                case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
                default -> "text";
            };
        }
    }
}
