package dev.ferry.installer.host;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.bundle.Manifest;
import dev.ferry.bundle.ManifestCodec;
import dev.ferry.common.ExitCode;
import dev.ferry.common.FerryException;
import dev.ferry.profiles.Profile;
import dev.ferry.profiles.ProfileJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The signed {@code manifest.json} an install keeps in each release folder: the source of truth for drift, status,
 * rollback and the installed profile. It was verified when installed; the release folder is root-owned.
 */
public final class ReleaseManifest {
    public static final String FILE = "manifest.json";

    private ReleaseManifest() {}

    public static Manifest read(Path releaseDir) {
        Path file = releaseDir.resolve(FILE);
        try {
            return parse(Files.readAllBytes(file), file.toString());
        } catch (IOException e) {
            throw new FerryException(
                    ExitCode.INTERNAL, file + ": cannot read the installed manifest: " + e.getMessage(), e);
        }
    }

    public static Manifest parse(byte[] json, String source) {
        // Verified when it was installed; a newer Ferry's stricter host-field rules must not lock it out (rollback,
        // undo).
        return ManifestCodec.decodeKept(json, source);
    }

    /** The resolved profile embedded in a manifest (secrets removed, files as bundle paths). */
    public static Profile profile(Manifest manifest) {
        JsonNode node = manifest.profile();
        if (node == null || node.isNull()) {
            throw FerryException.verification(
                    "manifest of " + manifest.name() + " " + manifest.version() + " has no profile");
        }
        return ProfileJson.fromJson(node);
    }
}
