package dev.ferry.bundle;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;

/**
 * {@code manifest.json} of {@code ferry-bundle/1} (SPEC section 2). {@code profile} is the resolved profile with
 * secrets removed and its file references rewritten to bundle paths ({@link BundleLayout}).
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
        List<FileEntry> files) {
    public static final String FORMAT = "ferry-bundle/1";
}
