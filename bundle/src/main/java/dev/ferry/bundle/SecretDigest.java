package dev.ferry.bundle;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.regex.Pattern;
import javax.crypto.Mac;

/**
 * How the signed manifest binds a secret file's bytes (the token, the proxy password) without publishing a fast
 * digest of them (SPEC section 2). Two kinds, named by {@code kdf}:
 *
 * <ul>
 *   <li>{@value #HMAC} (what the writer makes): {@code hash = HMAC-SHA256(key = SHA-256 of the bundle's binding key
 *       file, message = path || 0x00 || lowercase hex SHA-256 of the bytes)}. The binding key ({@link BindingKey}) is
 *       itself a secret file of the same bundle, listed as {@value #BINDING_KEY_KDF} with no digest at all, so a
 *       reader of the manifest alone (inspect, the host's kept copy, a report) cannot test a single guess against it:
 *       the key is 256 bits it has never seen (an opaque token's id is the one public digest left, and a slow one:
 *       {@link TokenFacts#opaqueId}). Whoever holds the bundle holds the secret itself anyway. The key's bytes are bound
 *       through the secrets' HMACs: a changed key fails every one of them. A verifier pays two SHA-256 compressions,
 *       where the slow digest cost it a quarter of a second of CPU, as much as it cost anyone testing one guess.
 *       Stock OpenSSL reproduces it: {@code printf '%s\0%s' PATH $(sha256sum F | cut -c1-64) | openssl mac -digest
 *       SHA256 -macopt hexkey:$(sha256sum binding-key | cut -c1-64) HMAC}.
 *   <li>{@value #KDF} (bundles written before the binding key; still verified): {@code hash = PBKDF2-HMAC-SHA256(
 *       password = lowercase hex SHA-256 of the bytes, salt, iterations, 32 bytes)}, a salted, deliberately slow
 *       digest: a reader of the manifest tests a guess by paying a full PBKDF2 for it. {@code openssl kdf -keylen 32
 *       -kdfopt digest:SHA256 -kdfopt pass:$(sha256sum F | cut -c1-64) -kdfopt hexsalt:SALT -kdfopt iter:N PBKDF2}.
 * </ul>
 *
 * <p>Both take the SHA-256 of the bytes rather than the bytes so that the verifier, which streams a SHA-256 of every
 * entry anyway, needs no copy of the secret.
 *
 * @param kdf {@link #HMAC}, {@link #BINDING_KEY_KDF} or {@link #KDF}; named so that a later format can add another and
 *     an old verifier refuses it
 * @param iterations PBKDF2 only: at least {@link #MIN_ITERATIONS}, at most {@link #MAX_ITERATIONS}; 0 otherwise
 * @param salt PBKDF2 only: lowercase hex, {@link #SALT_BYTES} bytes or more; null otherwise
 * @param hash lowercase hex, 32 bytes; null for the binding key
 */
public record SecretDigest(String kdf, long iterations, String salt, String hash) {
    /** A secret bound by an HMAC under the bundle's binding key. */
    public static final String HMAC = "hmac-sha256";
    /** The binding key's own entry: bound by the other secrets' HMACs, with nothing of its own to publish. */
    public static final String BINDING_KEY_KDF = "binding-key";
    /** The binding key's entry, as every bundle lists it. */
    public static final SecretDigest BINDING_KEY = new SecretDigest(BINDING_KEY_KDF, 0, null, null);
    /** A secret bound by a salted PBKDF2 (bundles made before the binding key). */
    public static final String KDF = "pbkdf2-hmac-sha256";
    /**
     * OWASP's figure for PBKDF2-HMAC-SHA256 (Password Storage Cheat Sheet, 2023): about 0.3-0.6 s of one core here,
     * paid once per secret by every verify, and per guess by anyone testing guesses against a manifest.
     */
    public static final int ITERATIONS = 600_000;
    /**
     * The floor a verifier accepts: a manifest signed with fewer iterations would make guesses cheaper than Ferry
     * promises, so it is refused rather than trusted to be a careful choice.
     */
    public static final int MIN_ITERATIONS = ITERATIONS;
    /** A verifier's ceiling: a signed but absurd count must not keep a host busy for hours. */
    public static final int MAX_ITERATIONS = 10_000_000;

    public static final int SALT_BYTES = 16;
    /** Secrets are small (a token, a password): a larger entry under {@code payload/secrets/} is refused unread. */
    public static final int MAX_SECRET_BYTES = 64 * 1024;

    private static final Pattern SALT_PATTERN = Pattern.compile("(?:[0-9a-f]{2}){" + SALT_BYTES + ",64}");

    /**
     * The HMAC of the secret at {@code path} whose SHA-256 is {@code sha256Hex}, under the binding key whose SHA-256
     * is {@code keySha256Hex}.
     */
    public static SecretDigest hmac(String keySha256Hex, String path, String sha256Hex) {
        return new SecretDigest(HMAC, 0, null, mac(keySha256Hex, path, sha256Hex));
    }

    /** Whether this is a PBKDF2, the one kind slow enough to be computed off the streaming thread. */
    public boolean isSlow() {
        return KDF.equals(kdf);
    }

    /**
     * Whether {@code sha256Hex} (the SHA-256 of the bytes read at {@code path}) is what this digest binds; for an
     * HMAC, under the binding key whose SHA-256 is {@code keySha256Hex} (null when the bundle carried none: then
     * nothing matches). A PBKDF2 is slow by design.
     */
    public boolean matches(String path, String sha256Hex, String keySha256Hex) {
        String computed;
        if (isSlow()) {
            computed = pbkdf2(sha256Hex, HexFormat.of().parseHex(salt), Math.toIntExact(iterations));
        } else if (HMAC.equals(kdf) && keySha256Hex != null) {
            computed = mac(keySha256Hex, path, sha256Hex);
        } else {
            return false;
        }
        return MessageDigest.isEqual(
                computed.getBytes(StandardCharsets.US_ASCII), hash.getBytes(StandardCharsets.US_ASCII));
    }

    /** How the manifest binds the secret, for people: never anything a guess could be tested against. */
    public String describe() {
        return switch (kdf) {
            case HMAC -> "bound by " + HMAC + " under the bundle's binding key";
            case BINDING_KEY_KDF -> "the binding key of the bundle's other secrets";
            case KDF -> "bound by " + KDF + ", " + iterations + " iterations";
            default -> "bound by " + Printable.quote(kdf);
        };
    }

    /** Why this digest is not one a verifier accepts, or null: checked before any byte is read. */
    public String problem() {
        return switch (kdf == null ? "" : kdf) {
            case HMAC ->
                salt != null || iterations != 0
                        ? HMAC + " takes neither a salt nor iterations"
                        : Sha256.isHex(hash) ? null : "hash is not 64 lowercase hex digits";
            case BINDING_KEY_KDF ->
                salt != null || iterations != 0 || hash != null
                        ? "the binding key publishes nothing of its own (no salt, iterations or hash)"
                        : null;
            case KDF -> pbkdf2Problem();
            default -> "kdf " + Printable.quote(kdf) + " is not " + HMAC + ", " + BINDING_KEY_KDF + " or " + KDF;
        };
    }

    private String pbkdf2Problem() {
        if (iterations < MIN_ITERATIONS) {
            return iterations + " iterations, below the floor of " + MIN_ITERATIONS
                    + " (fewer would make guessing the secret from the manifest cheap)";
        }
        if (iterations > MAX_ITERATIONS) {
            return iterations + " iterations, above the ceiling of " + MAX_ITERATIONS;
        }
        if (salt == null || !SALT_PATTERN.matcher(salt).matches()) {
            return "salt is not " + SALT_BYTES + " to 64 bytes of lowercase hex";
        }
        if (!Sha256.isHex(hash)) {
            return "hash is not 64 lowercase hex digits";
        }
        return null;
    }

    /** The hash: PBKDF2-HMAC-SHA256 of the hex SHA-256 (as ASCII), 32 bytes, lowercase hex. */
    static String pbkdf2(String sha256Hex, byte[] salt, int iterations) {
        return HexFormat.of()
                .formatHex(Pbkdf2.hmacSha256(sha256Hex.getBytes(StandardCharsets.US_ASCII), salt, iterations));
    }

    /** The HMAC: key the 32 bytes of {@code keySha256Hex}, message the path, a zero byte and the hex SHA-256. */
    private static String mac(String keySha256Hex, String path, String sha256Hex) {
        Mac mac = Sha256.hmac(HexFormat.of().parseHex(keySha256Hex));
        mac.update(path.getBytes(StandardCharsets.UTF_8));
        mac.update((byte) 0);
        return HexFormat.of().formatHex(mac.doFinal(sha256Hex.getBytes(StandardCharsets.US_ASCII)));
    }
}
