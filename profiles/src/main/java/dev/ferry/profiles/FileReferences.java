package dev.ferry.profiles;

import dev.ferry.profiles.Node.ScalarNode;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * A file named in a profile is relative to the file that names it (its node's origin), not to the profile the
 * user asked for: a path written in base.yaml stays relative to base.yaml when dmz.yaml extends it.
 */
final class FileReferences {
    private FileReferences() {}

    /** The absolute, normalized path of an existing folder. */
    static String folder(ScalarNode node, String field) {
        Path path = resolve(node, field);
        if (!Files.exists(path)) {
            throw ProfileErrors.at(node, field, "folder not found: " + path);
        }
        if (!Files.isDirectory(path)) {
            throw ProfileErrors.at(node, field, "expected a folder, but " + path + " is a file");
        }
        return path.toString();
    }

    /** The absolute, normalized path of an existing regular file. */
    static String regularFile(ScalarNode node, String field) {
        Path path = resolve(node, field);
        if (!Files.exists(path)) {
            throw ProfileErrors.at(node, field, "file not found: " + path);
        }
        if (!Files.isRegularFile(path)) {
            throw ProfileErrors.at(node, field, "expected a regular file, but " + path + " is not one");
        }
        return path.toString();
    }

    static Path resolve(ScalarNode node, String field) {
        try {
            return node.origin()
                    .file()
                    .resolveSibling(node.text())
                    .toAbsolutePath()
                    .normalize();
        } catch (InvalidPathException e) {
            throw ProfileErrors.at(node, field, "not a valid path: '" + node.text() + "'");
        }
    }
}
