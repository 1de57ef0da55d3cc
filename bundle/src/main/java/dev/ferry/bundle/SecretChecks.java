package dev.ferry.bundle;

import dev.ferry.common.Reason;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The verifier's check of secret files (SPEC section 2): their size is capped, not compared (the manifest does not
 * publish it). The binding key's SHA-256 is the key of the other secrets' HMACs, checked once every entry has been
 * read: a secret may sort before the key (say {@code payload/secrets/api-key}). A bundle made before the binding key
 * has slow digests instead ({@link SecretDigest#KDF}, about a quarter of a second of CPU each): each is computed off
 * the streaming thread, started as soon as the entry has been read, so that it overlaps the rest of the bundle. The
 * verdict waits for every check.
 */
final class SecretChecks {
    /**
     * How far ahead of the first secret its digest's code is warmed up. The digest's first run costs about twice its
     * warm one (0.25 s against 0.1 s here: the JIT compiling it as it goes), and the secrets come last, so on an
     * install nothing else is left to overlap it; these last megabytes are mostly small files, whose creation is the
     * kernel's work on one core, leaving the other free for the warm-up.
     */
    static final long WARM_AHEAD = 64L << 20;
    /**
     * Enough strides that the JIT has compiled the digest's inner loop before the real one starts: measured, the real
     * run then took 0.11 s, against 0.14 s after 40,000 iterations and 0.22 s cold.
     */
    private static final int WARM_UP_ITERATIONS = 100_000;

    private static final String SECRET_DIGEST = "secret-digest";

    /** A secret read, with the SHA-256 of its bytes; a slow digest's check already running. */
    private record Pending(FileEntry entry, String sha256Hex, CompletableFuture<Boolean> slowCheck) {}

    private final List<Pending> pending = new ArrayList<>();
    private final long warmAt;
    private boolean warming;
    /** The SHA-256 of the binding key's bytes, once read: the key of the other secrets' HMACs. */
    private String bindingKeySha256;

    /** Never warms up: a stream with nothing else to wait for ({@code verify}) would only lose a core to it. */
    SecretChecks() {
        this(Long.MAX_VALUE);
    }

    /** @param warmAt the payload offset from which to warm the digest's code up (see {@link #WARM_AHEAD}) */
    SecretChecks(long warmAt) {
        this.warmAt = warmAt;
    }

    /** The stream has read {@code offset} bytes of payload: time to warm the digest's code up? */
    void streamed(long offset) {
        if (!warming && offset >= warmAt) {
            warming = true;
            OffThread.start(
                    SECRET_DIGEST,
                    () -> SecretDigest.pbkdf2("0".repeat(64), new byte[SecretDigest.SALT_BYTES], WARM_UP_ITERATIONS));
        }
    }

    /** A secret entry larger than any secret is refused before a byte of it is read. */
    static void checkSize(StrictTarReader.Header header, String source) {
        if (header.size() > SecretDigest.MAX_SECRET_BYTES) {
            throw Reason.SECRET_MISMATCH.failure(source + ": secret entry " + Printable.quote(header.name()) + " is "
                    + header.size() + " bytes, more than the " + SecretDigest.MAX_SECRET_BYTES + " a secret may have");
        }
    }

    /**
     * Keeps {@code entry}'s SHA-256 (the bytes just read) for its check, and starts a slow digest's at once; the
     * binding key's is kept as the key of the HMACs.
     */
    void start(FileEntry entry, String sha256Hex) {
        SecretDigest digest = entry.secret();
        if (SecretDigest.BINDING_KEY_KDF.equals(digest.kdf())) {
            bindingKeySha256 = sha256Hex;
        } else {
            pending.add(new Pending(
                    entry,
                    sha256Hex,
                    digest.isSlow()
                            ? OffThread.start(SECRET_DIGEST, () -> digest.matches(entry.path(), sha256Hex, null))
                            : null));
        }
    }

    /**
     * Checks every HMAC (two SHA-256 compressions each) and waits for every slow digest; the first secret whose bytes
     * are not the signed ones fails the bundle.
     */
    void await(String source) {
        for (Pending check : pending) {
            boolean matches = check.slowCheck() != null
                    ? check.slowCheck().join()
                    : check.entry().secret().matches(check.entry().path(), check.sha256Hex(), bindingKeySha256);
            if (!matches) {
                throw Reason.SECRET_MISMATCH.failure(
                        source + ": " + check.entry().path()
                                + ": the secret's bytes do not match its digest in the manifest: "
                                + (check.entry().secret().isSlow()
                                        ? "the file was changed after signing"
                                        : "it or the bundle's binding key was changed after signing"));
            }
        }
    }
}
