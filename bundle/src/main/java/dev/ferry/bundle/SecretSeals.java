package dev.ferry.bundle;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The secrets' slow digests (SPEC section 2), started before the writer's first read. Each is a PBKDF2 of about a
 * quarter of a second of one core; begun once every file is hashed, it would sit alone between the hashes and the
 * head while the other core idles. What it binds, the secret's SHA-256 and a salt made of the bundle's name,
 * version, sequence, creation time and path, is known as soon as the profile and the token are read: started then,
 * it runs beside the JVM's warm-up and the walk of the runtime folder.
 *
 * <p>Only a head start: the writer takes an early digest only for exactly the SHA-256 it read and the salt it made.
 * Otherwise (the file changed in between, could not be read early, or sealing failed) it seals what it read, as it
 * would without this, and reports its own errors.
 */
public final class SecretSeals {
    /** No early digests: the writer seals every secret after the hash pass. */
    public static final SecretSeals NONE = new SecretSeals(Map.of());

    private record Early(String sha256, String salt, CompletableFuture<SecretDigest> digest) {}

    private final Map<String, Early> byPath;

    private SecretSeals(Map<String, Early> byPath) {
        this.byPath = byPath;
    }

    /**
     * Starts sealing each of {@code secrets} (files under {@code payload/secrets/}) on a thread of its own, for the
     * bundle identified by the other arguments, as {@link SecretDigest#saltFor} takes them.
     */
    public static SecretSeals start(
            String name, String version, long sequence, Instant createdAt, List<PayloadFile> secrets) {
        Map<String, Early> early = new HashMap<>();
        for (PayloadFile secret : secrets) {
            String sha256 = sha256(secret.source());
            if (sha256 != null) {
                byte[] salt = SecretDigest.saltFor(name, version, sequence, createdAt, secret.path());
                early.put(
                        secret.path(),
                        new Early(
                                sha256,
                                HexFormat.of().formatHex(salt),
                                SecretDigest.offThread(() -> SecretDigest.of(sha256, salt))));
            }
        }
        return new SecretSeals(Map.copyOf(early));
    }

    /** The digest of the secret {@code entry} (with the SHA-256 the writer read) under {@code salt}. */
    SecretDigest seal(FileEntry entry, byte[] salt) {
        Early early = byPath.get(entry.path());
        if (early != null
                && early.sha256().equals(entry.sha256())
                && early.salt().equals(HexFormat.of().formatHex(salt))) {
            try {
                return early.digest().join();
            } catch (CompletionException | CancellationException e) {
                // Sealed again below, where the same problem is met and reported as it would be without a head start.
            }
        }
        return SecretDigest.of(entry.sha256(), salt);
    }

    /** A small file's SHA-256, or null when it cannot be read now or is too large for a secret (the writer says so). */
    private static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes(SecretDigest.MAX_SECRET_BYTES + 1);
            try {
                return bytes.length > SecretDigest.MAX_SECRET_BYTES ? null : Sha256.hex(bytes);
            } finally {
                Arrays.fill(bytes, (byte) 0);
            }
        } catch (IOException e) {
            return null;
        }
    }
}
