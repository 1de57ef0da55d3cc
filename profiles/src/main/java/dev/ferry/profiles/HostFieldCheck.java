package dev.ferry.profiles;

import dev.ferry.profiles.Node.ListNode;
import dev.ferry.profiles.Node.MapNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@link HostFields} and {@link ConfigTemplates} applied to a freshly bound profile, each refusal reported at the
 * value's own file and line: {@code bundler create} refuses up front what the verifier would refuse in the bundle.
 */
final class HostFieldCheck {
    /** The installer renders templates in memory; larger ones are refused on both sides. */
    static final long MAX_TEMPLATE_BYTES = 1024 * 1024;

    private HostFieldCheck() {}

    static Profile check(Profile profile, MapNode tree) {
        HostFields.Problem problem = HostFields.firstProblem(profile);
        if (problem != null) {
            throw ProfileErrors.at(at(tree, problem.field()), problem.field(), problem.what());
        }
        List<Profile.Template> templates = profile.templates() == null ? List.of() : profile.templates();
        for (int i = 0; i < templates.size(); i++) {
            String field = "templates[" + i + "].source";
            Path source = tree.origin()
                    .file()
                    .getFileSystem()
                    .getPath(templates.get(i).source());
            String why;
            try {
                why = Files.size(source) > MAX_TEMPLATE_BYTES
                        ? "larger than 1 MiB: " + source
                        : ConfigTemplates.problem(
                                source.getFileName().toString(),
                                Files.readString(source, StandardCharsets.UTF_8),
                                profile);
            } catch (IOException e) {
                why = "cannot read " + source + " as UTF-8 text: " + e.getMessage();
            }
            if (why != null) {
                throw ProfileErrors.at(at(tree, field), field, why);
            }
        }
        return profile;
    }

    /** The node a field name ({@code targets[1].host}) points at, or the nearest one above it. */
    static Node at(MapNode tree, String field) {
        Node node = tree;
        for (String part : field.split("\\.")) {
            int bracket = part.indexOf('[');
            String key = bracket < 0 ? part : part.substring(0, bracket);
            Node next = node instanceof MapNode map ? map.get(key) : null;
            if (next == null) {
                return node;
            }
            node = next;
            for (int at = bracket; at >= 0; at = part.indexOf('[', at + 1)) {
                int index = Integer.parseInt(part.substring(at + 1, part.indexOf(']', at)));
                if (!(node instanceof ListNode list) || index >= list.items().size()) {
                    return node;
                }
                node = list.items().get(index);
            }
        }
        return node;
    }
}
