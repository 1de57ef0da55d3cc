package dev.ferry.bundle;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;
import java.util.List;

/**
 * A bundle whose manifest signature, every payload byte and validity were checked.
 *
 * @param manifestBytes the exact signed bytes of manifest.json
 * @param signerKeyIds the trusted keys whose signatures verified
 * @param sha256 SHA-256 of the whole bundle file, for logs and status
 */
public record VerifiedBundle(Manifest manifest, byte[] manifestBytes, List<String> signerKeyIds, String sha256) {
    /** What {@code verify --json} prints of a verified bundle, the same in both programs. */
    @JsonPropertyOrder({"verified", "name", "version", "sequence", "files", "bytes", "signers", "expiresAt", "sha256"})
    public record Summary(
            boolean verified,
            String name,
            String version,
            long sequence,
            int files,
            long bytes,
            List<String> signers,
            Instant expiresAt,
            String sha256) {}

    public Summary summary() {
        long bytes =
                manifest.files().stream().mapToLong(FileEntry::publishedSize).sum();
        return new Summary(
                true,
                manifest.name(),
                manifest.version(),
                manifest.sequence(),
                manifest.files().size(),
                bytes,
                signerKeyIds,
                manifest.expiresAt(),
                sha256);
    }
}
