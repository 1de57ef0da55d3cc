package dev.ferry.profiles;

import dev.ferry.profiles.Node.MapNode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code extends} merge of SPEC section 3: maps merge deeply, a child's list or scalar replaces the parent's
 * (an explicit null in the child removes the inherited value). Every node keeps the origin of the file that wrote
 * it, so paths and errors still refer to that file.
 */
final class ProfileMerger {
    private ProfileMerger() {}

    static MapNode merge(MapNode parent, MapNode child) {
        Map<String, Node> merged = new LinkedHashMap<>(parent.entries());
        child.entries().forEach((key, value) -> {
            Node inherited = merged.get(key);
            merged.put(key, inherited instanceof MapNode p && value instanceof MapNode c ? merge(p, c) : value);
        });
        return new MapNode(merged, child.origin());
    }
}
