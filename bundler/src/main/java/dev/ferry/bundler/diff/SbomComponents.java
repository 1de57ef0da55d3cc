package dev.ferry.bundler.diff;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.common.FerryException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The versioned components of a CycloneDX SBOM (the agent, libraries, the Java runtime: all but the file list), keyed
 * by package URL without its version, or by group and name where there is no package URL. A component found at
 * several paths with several versions keeps them all.
 */
final class SbomComponents {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The component's type and every version it has in this SBOM. */
    record Versions(String type, SortedSet<String> versions) {}

    private SbomComponents() {}

    static Map<String, Versions> read(byte[] sbom, String source) {
        JsonNode root;
        try {
            root = JSON.readTree(sbom);
        } catch (IOException e) {
            throw FerryException.verification(source + ": the SBOM is not valid JSON: " + e.getMessage());
        }
        Map<String, Versions> components = new TreeMap<>();
        JsonNode agent = root.path("metadata").path("component");
        if (agent.isObject()) {
            collect(List.of(agent), components);
        }
        collect(root.path("components"), components);
        return components;
    }

    private static void collect(Iterable<JsonNode> list, Map<String, Versions> into) {
        for (JsonNode component : list) {
            String type = component.path("type").asText("");
            String version = component.path("version").asText("");
            if (!"file".equals(type) && !version.isEmpty()) {
                into.computeIfAbsent(id(component), k -> new Versions(type, new TreeSet<>()))
                        .versions()
                        .add(version);
            }
            collect(component.path("components"), into);
        }
    }

    private static String id(JsonNode component) {
        String purl = component.path("purl").asText("");
        if (!purl.isEmpty()) {
            int at = purl.indexOf('@');
            return at > 0 ? purl.substring(0, at) : purl;
        }
        String group = component.path("group").asText("");
        return (group.isEmpty() ? "" : group + "/") + component.path("name").asText("");
    }

    /** Components whose versions differ, that are new, or that are gone, sorted by id. */
    static List<DiffReport.ComponentChange> changes(Map<String, Versions> before, Map<String, Versions> after) {
        TreeSet<String> ids = new TreeSet<>(before.keySet());
        ids.addAll(after.keySet());
        List<DiffReport.ComponentChange> changes = new ArrayList<>();
        for (String id : ids) {
            Versions was = before.get(id);
            Versions now = after.get(id);
            if (was != null && now != null && was.versions().equals(now.versions())) {
                continue;
            }
            changes.add(new DiffReport.ComponentChange(
                    id,
                    Objects.requireNonNullElse(now, was).type(),
                    was == null ? null : String.join(", ", was.versions()),
                    now == null ? null : String.join(", ", now.versions())));
        }
        return changes;
    }
}
