package dev.ferry.bundle;

import dev.ferry.common.Reason;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The verifier's check of secret files (SPEC section 2): their size is capped, not compared (the manifest does not
 * publish it), and their slow digest ({@link SecretDigest}, about half a second of CPU) is computed off the streaming
 * thread, started as soon as the entry has been read, so that it overlaps the rest of the bundle; the verdict waits
 * for every one of them.
 */
final class SecretChecks {
    private record Pending(FileEntry entry, CompletableFuture<Boolean> matches) {}

    private final List<Pending> pending = new ArrayList<>();

    /** A secret entry larger than any secret is refused before a byte of it is read. */
    static void checkSize(StrictTarReader.Header header, String source) {
        if (header.size() > SecretDigest.MAX_SECRET_BYTES) {
            throw Reason.SECRET_MISMATCH.failure(source + ": secret entry " + Printable.quote(header.name()) + " is "
                    + header.size() + " bytes, more than the " + SecretDigest.MAX_SECRET_BYTES + " a secret may have");
        }
    }

    /** Starts checking {@code entry}'s slow digest against the SHA-256 of the bytes just read. */
    void start(FileEntry entry, String sha256Hex) {
        SecretDigest digest = entry.secret();
        pending.add(new Pending(entry, SecretDigest.offThread(() -> digest.matches(sha256Hex))));
    }

    /** Waits for every check; the first secret whose bytes are not the signed ones fails the bundle. */
    void await(String source) {
        for (Pending check : pending) {
            if (!check.matches().join()) {
                throw Reason.SECRET_MISMATCH.failure(
                        source + ": " + check.entry().path()
                                + ": the secret's bytes do not match its digest in the manifest: the file was changed after signing");
            }
        }
    }
}
