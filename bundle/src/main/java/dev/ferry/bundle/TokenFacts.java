package dev.ferry.bundle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.common.FerryException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The public facts of a registration token (SPEC section 2): when it is a JWT, {@code notBefore}/{@code notAfter}/
 * {@code id} come from its {@code nbf}/{@code exp}/{@code jti} claims. Only the claims are decoded; the signature is
 * the platform's business. Used by {@code bundler create} and {@code installer register}. Never puts the token
 * itself in a message.
 */
public final class TokenFacts {
    private static final Pattern JWT = Pattern.compile("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private TokenFacts() {}

    /** Whether the token text has the shape of a compact JWS (three base64url parts). */
    public static boolean isJwt(String token) {
        return JWT.matcher(token.strip()).matches();
    }

    /**
     * The facts of a JWT token, or empty when the token is not a JWT (then the window must come from elsewhere).
     *
     * @param source names the token file in error messages
     * @param path the bundle path to record ({@link BundleLayout#TOKEN}) or null
     * @throws FerryException USAGE when it looks like a JWT but its claims are unreadable or lack {@code exp}
     */
    public static Optional<TokenInfo> fromJwt(String token, String source, String path) {
        String text = token.strip();
        if (!isJwt(text)) {
            return Optional.empty();
        }
        String[] parts = text.split("\\.", -1);
        JsonNode claims;
        try {
            claims = MAPPER.readTree(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException | IOException e) {
            throw FerryException.usage(source + ": the token looks like a JWT but its claims cannot be read");
        }
        if (claims == null || !claims.isObject()) {
            throw FerryException.usage(source + ": the token looks like a JWT but its claims are not a JSON object");
        }
        Instant notAfter = seconds(claims, "exp", source);
        if (notAfter == null) {
            throw FerryException.usage(source + ": the JWT has no exp claim, so its validity window is unknown");
        }
        Instant notBefore = seconds(claims, "nbf", source);
        String id = claims.hasNonNull("jti") ? claims.get("jti").asText() : null;
        return Optional.of(new TokenInfo(id, notBefore, notAfter, path));
    }

    /**
     * An id for a token that names none (an opaque token, or a JWT without {@code jti}), so two bundles can be told
     * apart by their token and a trust document can revoke it (SPEC section 10). It must be the same in every bundle
     * that carries the token, so it can be neither keyed per bundle, as a secret file's HMAC is, nor salted per bundle;
     * it is a slow digest ({@link SecretDigest#KDF}, fixed salt): testing a guess against it costs a full PBKDF2 (SPEC section 2: no fast public digest of a secret), and 64 bits
     * of it name nothing else in practice.
     */
    public static String opaqueId(byte[] token) {
        MessageDigest sha256 = Sha256.digest();
        sha256.update(token);
        String slow = SecretDigest.pbkdf2(Sha256.hex(sha256), OPAQUE_ID_SALT, SecretDigest.ITERATIONS);
        return "pbkdf2:" + slow.substring(0, 16);
    }

    private static final byte[] OPAQUE_ID_SALT = "ferry-bundle/1 opaque token id".getBytes(StandardCharsets.UTF_8);

    private static Instant seconds(JsonNode claims, String name, String source) {
        JsonNode v = claims.get(name);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isNumber()) {
            throw FerryException.usage(source + ": the JWT claim " + name + " is not a number of seconds");
        }
        return Instant.ofEpochSecond(v.asLong());
    }
}
