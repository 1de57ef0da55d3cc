package dev.ferry.bundle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The public facts of a registration token. A JWT carries them in its claims ({@code jti}, {@code nbf}, {@code exp});
 * any other token is opaque and its window comes from the profile. The token's signature is the platform's business:
 * Ferry only reads the claims to check the time window, never to trust the token.
 */
public record TokenFacts(String id, Instant notBefore, Instant notAfter) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The claims of a JWT, or empty when the token is not a JWT (opaque). */
    public static Optional<TokenFacts> fromJwt(byte[] token) {
        String text = new String(token, StandardCharsets.US_ASCII).strip();
        String[] parts = text.split("\\.", -1);
        if (parts.length != 3 || parts[1].isEmpty()) {
            return Optional.empty();
        }
        JsonNode claims;
        try {
            claims = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
        } catch (IllegalArgumentException | IOException e) {
            return Optional.empty();
        }
        if (claims == null || !claims.isObject()) {
            return Optional.empty();
        }
        String id = claims.path("jti").isTextual() ? claims.get("jti").asText() : opaqueId(token);
        return Optional.of(new TokenFacts(id, epoch(claims.get("nbf")), epoch(claims.get("exp"))));
    }

    /**
     * An id for a token that names none: a short digest, so two bundles can be told apart by their token without
     * revealing it (16 hex digits of SHA-256 of a high-entropy secret say nothing usable about it).
     */
    public static String opaqueId(byte[] token) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token)).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Instant epoch(JsonNode claim) {
        return claim != null && claim.canConvertToLong() ? Instant.ofEpochSecond(claim.asLong()) : null;
    }

    /** Whether {@code now} is inside the window; an open end is unbounded. */
    public boolean validAt(Instant now) {
        return (notBefore == null || !now.isBefore(notBefore)) && (notAfter == null || now.isBefore(notAfter));
    }
}
