package dev.ferry.bundler.diff;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.profiles.Redaction;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The fields of the manifests' profiles that differ, as dotted paths ({@code proxy.url}, {@code targets[1].port}).
 * A manifest's profile carries no secret (SPEC section 2), but a value is still redacted where its name says it
 * could hold one, and a URL's password is never shown.
 */
final class ProfileChanges {
    private static final List<String> SECRET_WORDS =
            List.of("password", "passphrase", "secret", "credential", "privatekey");

    private ProfileChanges() {}

    static List<DiffReport.ProfileChange> of(JsonNode before, JsonNode after) {
        Map<String, String> old = new TreeMap<>();
        Map<String, String> now = new TreeMap<>();
        flatten("", before, old);
        flatten("", after, now);
        TreeSet<String> fields = new TreeSet<>(old.keySet());
        fields.addAll(now.keySet());
        List<DiffReport.ProfileChange> changes = new ArrayList<>();
        for (String field : fields) {
            String was = old.get(field);
            String is = now.get(field);
            if (!Objects.equals(was, is)) {
                changes.add(new DiffReport.ProfileChange(field, shown(field, was), shown(field, is)));
            }
        }
        return changes;
    }

    private static void flatten(String prefix, JsonNode node, Map<String, String> into) {
        if (node == null || node.isMissingNode()) {
            return;
        }
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                flatten(prefix.isEmpty() ? field.getKey() : prefix + "." + field.getKey(), field.getValue(), into);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                flatten(prefix + "[" + i + "]", node.get(i), into);
            }
        } else {
            into.put(prefix, node.isNull() ? null : node.asText());
        }
    }

    private static String shown(String field, String value) {
        if (value == null) {
            return null;
        }
        String name = field.toLowerCase(Locale.ROOT);
        // A file *path* of a secret is no secret (proxy.passwordFile names where the bundle carries it).
        boolean secretName = SECRET_WORDS.stream().anyMatch(name::contains) && !name.endsWith("file");
        return secretName ? Redaction.REDACTED : Redaction.url(value);
    }
}
