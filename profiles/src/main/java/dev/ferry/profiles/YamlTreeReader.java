package dev.ferry.profiles;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.ferry.common.BoundedInput;
import dev.ferry.profiles.Node.ListNode;
import dev.ferry.profiles.Node.MapNode;
import dev.ferry.profiles.Node.ScalarNode;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Reads one YAML file into a {@link Node} tree by walking the parser's tokens, so that every value keeps the line
 * it was written on (Jackson's tree model forgets it). A value that is a map or list takes the line of its key.
 */
final class YamlTreeReader {
    private static final YAMLFactory YAML = new YAMLFactory();

    /** A profile is a few KiB; a quarter MiB leaves room for generated ones. */
    static final long MAX_PROFILE_BYTES = 256 * 1024;

    private YamlTreeReader() {}

    /**
     * @param file the file as it should appear in messages
     * @param namedBy where an {@code extends} named this file, or null for the file the user gave
     */
    static MapNode read(Path file, ScalarNode namedBy) {
        if (Files.isDirectory(file)) {
            throw notReadable(file, namedBy, "is a folder, not a profile file", null);
        }
        // Before opening: a FIFO would block the open, /dev/zero or a huge file would be parsed for minutes.
        String problem = BoundedInput.problem(file, MAX_PROFILE_BYTES);
        if (problem != null && !problem.equals(BoundedInput.NO_SUCH_FILE)) {
            throw notReadable(file, namedBy, problem + ": not a profile file", null);
        }
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
                JsonParser parser = YAML.createParser(reader)) {
            return readDocument(file, parser);
        } catch (NoSuchFileException e) {
            throw notReadable(file, namedBy, "not found", e);
        } catch (AccessDeniedException e) {
            throw notReadable(file, namedBy, "permission denied", e);
        } catch (CharacterCodingException e) {
            throw notReadable(file, namedBy, "is not UTF-8 text", e);
        } catch (JsonProcessingException e) {
            throw syntaxError(file, e);
        } catch (IOException e) {
            throw notReadable(file, namedBy, "cannot be read (" + e.getMessage() + ")", e);
        }
    }

    private static MapNode readDocument(Path file, JsonParser parser) throws IOException {
        JsonToken first = parser.nextToken();
        if (first == null) {
            throw ProfileErrors.at(new Origin(file, 1), "(profile)", "the file is empty");
        }
        Node root = readValue(file, parser, null);
        if (!(root instanceof MapNode map)) {
            throw ProfileErrors.at(root, "(profile)", "expected a map of fields at the top level, got " + root.kind());
        }
        if (parser.nextToken() != null) {
            throw ProfileErrors.at(origin(file, parser), "(profile)", "only one YAML document is allowed per file");
        }
        return map;
    }

    /** Reads the value at the parser's current token; {@code keyOrigin} is the line of its key, if any. */
    private static Node readValue(Path file, JsonParser parser, Origin keyOrigin) throws IOException {
        Origin own = origin(file, parser);
        Origin container = keyOrigin != null ? keyOrigin : own;
        JsonToken token = parser.currentToken();
        switch (token) {
            case START_OBJECT:
                return readMap(file, parser, container);
            case START_ARRAY:
                List<Node> items = new ArrayList<>();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    items.add(readValue(file, parser, null));
                }
                return new ListNode(items, container);
            case VALUE_NULL:
                return new ScalarNode(token, null, own);
            default:
                return new ScalarNode(token, parser.getText(), own);
        }
    }

    private static MapNode readMap(Path file, JsonParser parser, Origin origin) throws IOException {
        Map<String, Node> entries = new LinkedHashMap<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String key = parser.currentName();
            Origin keyOrigin = origin(file, parser);
            if (entries.containsKey(key)) {
                throw ProfileErrors.at(
                        keyOrigin,
                        key,
                        "duplicate key (first written on line "
                                + entries.get(key).origin().line() + ")");
            }
            parser.nextToken();
            entries.put(key, readValue(file, parser, keyOrigin));
        }
        return new MapNode(entries, origin);
    }

    private static Origin origin(Path file, JsonParser parser) {
        return new Origin(file, Math.max(1, parser.currentTokenLocation().getLineNr()));
    }

    private static RuntimeException syntaxError(Path file, JsonProcessingException e) {
        int line = e.getLocation() != null ? Math.max(1, e.getLocation().getLineNr()) : 1;
        return ProfileErrors.at(new Origin(file, line), "(syntax)", "invalid YAML: " + describe(e));
    }

    /** SnakeYAML's problem text without its multi-line excerpt of the file. */
    private static String describe(JsonProcessingException e) {
        if (e.getCause() instanceof MarkedYAMLException marked && marked.getProblem() != null) {
            return marked.getProblem() + (marked.getContext() != null ? " (" + marked.getContext() + ")" : "");
        }
        String message = e.getOriginalMessage();
        return message == null
                ? e.getClass().getSimpleName()
                : message.lines().findFirst().orElse(message);
    }

    private static RuntimeException notReadable(Path file, ScalarNode namedBy, String problem, Throwable cause) {
        if (namedBy != null) {
            return ProfileErrors.at(namedBy, "extends", "parent profile " + file + " " + problem);
        }
        return ProfileErrors.file("profile " + file + ": " + problem, cause);
    }
}
