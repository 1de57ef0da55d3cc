package dev.ferry.bundle;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;

/**
 * Everything a bundle is made of, before hashing. {@code files} may come in any order; the writer sorts them.
 * {@code token} may be null for an agent that needs no registration token; when set, its path must be one of
 * {@code files}.
 */
public record BundleSpec(
        String name,
        String version,
        long sequence,
        Instant createdAt,
        Instant expiresAt,
        JsonNode profile,
        TokenInfo token,
        List<PayloadFile> files) {}
