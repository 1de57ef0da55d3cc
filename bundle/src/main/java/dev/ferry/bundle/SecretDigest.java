package dev.ferry.bundle;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * How the signed manifest binds a secret file's bytes (the token, the proxy password) without publishing a fast
 * digest of them (SPEC section 2): {@code hash = PBKDF2-HMAC-SHA256(password = lowercase hex SHA-256 of the bytes,
 * salt, iterations, 32 bytes)}. A reader of the manifest (inspect, the host's kept copy, an SBOM) can only test a
 * guess by paying a full PBKDF2 for it, and the salt, unique per bundle and path, makes every bundle a separate
 * search: no table computed once serves two bundles. Stock OpenSSL reproduces it:
 * {@code openssl kdf -keylen 32 -kdfopt digest:SHA256 -kdfopt pass:$(sha256sum F | cut -c1-64) -kdfopt hexsalt:SALT
 * -kdfopt iter:N PBKDF2}.
 *
 * <p>The password is the SHA-256 rather than the bytes so that the verifier, which streams a SHA-256 of every
 * entry anyway, needs no copy of the secret, and a secret of any length is one 64-character password.
 *
 * @param kdf always {@link #KDF}; named so that a later format can add another and an old verifier refuses it
 * @param iterations at least {@link #MIN_ITERATIONS}, at most {@link #MAX_ITERATIONS}
 * @param salt lowercase hex, {@link #SALT_BYTES} bytes or more
 * @param hash lowercase hex, 32 bytes
 */
public record SecretDigest(String kdf, long iterations, String salt, String hash) {
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
    /** The label that keeps Ferry's salts apart from any other use of SHA-256 over the same fields. */
    private static final String SALT_LABEL = "ferry-bundle/1 secret salt";

    private static final Pattern SALT_PATTERN = Pattern.compile("(?:[0-9a-f]{2}){" + SALT_BYTES + ",64}");

    /** The digest of a secret whose SHA-256 is {@code sha256Hex}, with Ferry's iterations. */
    public static SecretDigest of(String sha256Hex, byte[] salt) {
        String saltHex = HexFormat.of().formatHex(salt);
        return new SecretDigest(KDF, ITERATIONS, saltHex, pbkdf2(sha256Hex, salt, ITERATIONS));
    }

    /**
     * The salt of one secret of one bundle: unique per bundle (name, version, sequence, creation time) and path, never
     * derived from the secret, and the same on a rebuild from the same inputs, so bundles stay reproducible.
     */
    public static byte[] saltFor(String name, String version, long sequence, Instant createdAt, String path) {
        MessageDigest sha256 = Sha256.digest();
        for (String field : new String[] {
            SALT_LABEL, name, version, Long.toString(sequence), DateTimeFormatter.ISO_INSTANT.format(createdAt), path
        }) {
            sha256.update(field.getBytes(StandardCharsets.UTF_8));
            sha256.update((byte) 0);
        }
        return Arrays.copyOf(sha256.digest(), SALT_BYTES);
    }

    /** Whether {@code sha256Hex} (the SHA-256 of the bytes read) is what this digest binds. Slow by design. */
    public boolean matches(String sha256Hex) {
        String computed = pbkdf2(sha256Hex, HexFormat.of().parseHex(salt), Math.toIntExact(iterations));
        return MessageDigest.isEqual(
                computed.getBytes(StandardCharsets.US_ASCII), hash.getBytes(StandardCharsets.US_ASCII));
    }

    /** Why this digest is not one a verifier accepts, or null: checked before any byte is read. */
    public String problem() {
        if (!KDF.equals(kdf)) {
            return "kdf " + Printable.quote(kdf) + " is not " + KDF;
        }
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

    /**
     * {@code work} on a thread of its own, started now: the verifier computes a secret's digest while it streams the
     * rest of the bundle, the writer seals both secrets at once (a shared pool has one thread on a 2-core host).
     */
    public static <T> CompletableFuture<T> offThread(Supplier<T> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread thread = new Thread(
                () -> {
                    try {
                        result.complete(work.get());
                    } catch (RuntimeException | Error e) {
                        result.completeExceptionally(e);
                    }
                },
                "secret-digest");
        thread.setDaemon(true);
        thread.start();
        return result;
    }

    /** The hash: PBKDF2-HMAC-SHA256 of the hex SHA-256 (as ASCII), 32 bytes, lowercase hex. */
    static String pbkdf2(String sha256Hex, byte[] salt, int iterations) {
        return HexFormat.of()
                .formatHex(Pbkdf2.hmacSha256(sha256Hex.getBytes(StandardCharsets.US_ASCII), salt, iterations));
    }
}
