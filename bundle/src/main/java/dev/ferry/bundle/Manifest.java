package dev.ferry.bundle;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;

/**
 * {@code manifest.json} of {@code ferry-bundle/1} (SPEC section 2). {@code profile} is the resolved profile with
 * secrets removed and its file references rewritten to bundle paths ({@link BundleLayout}). {@code base} is set for a
 * delta bundle only.
 */
public record Manifest(
        String format,
        String name,
        String version,
        long sequence,
        Instant createdAt,
        Instant expiresAt,
        JsonNode profile,
        TokenInfo token,
        List<FileEntry> files,
        DeltaBase base) {
    public static final String FORMAT = "ferry-bundle/1";

    /** A full bundle's manifest: every file carried. */
    public Manifest(
            String format,
            String name,
            String version,
            long sequence,
            Instant createdAt,
            Instant expiresAt,
            JsonNode profile,
            TokenInfo token,
            List<FileEntry> files) {
        this(format, name, version, sequence, createdAt, expiresAt, profile, token, files, null);
    }

    /** A delta bundle: some files come from {@link #base}, the rest are carried (SPEC section 11). */
    public boolean isDelta() {
        return base != null;
    }

    /** The files the payload carries, in payload order: all of them for a full bundle. */
    public List<FileEntry> carried() {
        return base == null ? files : files.stream().filter(f -> !f.fromBase()).toList();
    }
}
