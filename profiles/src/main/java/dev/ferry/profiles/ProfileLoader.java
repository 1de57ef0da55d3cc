package dev.ferry.profiles;

import com.fasterxml.jackson.core.JsonToken;
import dev.ferry.profiles.Node.MapNode;
import dev.ferry.profiles.Node.ScalarNode;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Loads a profile file (SPEC section 3): follows its {@code extends} chain, merges it, resolves every relative file
 * reference against the file that names it and validates the result.
 *
 * <p>Every failure is a {@link dev.ferry.common.FerryException} with exit code 2 and one line,
 * {@code FILE:LINE: FIELD: what is wrong}, where FILE and LINE are where the offending value was written (a parent
 * file for an inherited value). A file that cannot be read gives one line naming it.
 *
 * <p>Paths may live on any {@link java.nio.file.FileSystem}; references resolve on the profile's own.
 */
public final class ProfileLoader {
    private static final ProfileLoader DEFAULT = new ProfileLoader();

    /** Loads, merges and validates {@code file}. */
    public static Profile load(Path file) {
        return DEFAULT.resolve(file);
    }

    /**
     * Every file of {@code file}'s {@code extends} chain, {@code file} first, then its parent and so on: what a
     * bundle's provenance names as its profile.
     */
    public static List<Path> chain(Path file) {
        List<Path> chain = new ArrayList<>();
        DEFAULT.readChain(file.normalize(), null, chain);
        return List.copyOf(chain);
    }

    /** The instance form of {@link #load(Path)}. */
    public Profile resolve(Path file) {
        MapNode merged = readChain(file.normalize(), null, new ArrayList<>());
        return HostFieldCheck.check(ProfileBinder.bind(merged), merged);
    }

    /** Reads {@code file} and the parents it extends, parent first, merged into one tree. */
    private MapNode readChain(Path file, ScalarNode namedBy, List<Path> chain) {
        if (chain.stream().anyMatch(seen -> sameFile(seen, file))) {
            String cycle = chain.stream().map(Path::toString).collect(Collectors.joining(" -> ")) + " -> " + file;
            throw ProfileErrors.at(namedBy, "extends", "cycle of extends: " + cycle);
        }
        chain.add(file);
        MapNode own = YamlTreeReader.read(file, namedBy);
        Node extendsNode = own.get("extends");
        MapNode body = own.without("extends");
        if (extendsNode == null || extendsNode instanceof ScalarNode s && s.isNull()) {
            return body;
        }
        if (!(extendsNode instanceof ScalarNode parentName)
                || parentName.token() != JsonToken.VALUE_STRING
                || parentName.text().isBlank()) {
            throw ProfileErrors.at(
                    extendsNode, "extends", "expected the file name of a parent profile, got " + extendsNode.kind());
        }
        Path parent;
        try {
            parent = file.resolveSibling(parentName.text()).normalize();
        } catch (InvalidPathException e) {
            throw ProfileErrors.at(parentName, "extends", "not a valid file name: '" + parentName.text() + "'");
        }
        return ProfileMerger.merge(readChain(parent, parentName, chain), body);
    }

    private static boolean sameFile(Path a, Path b) {
        return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
    }
}
