package dev.ferry.bundle;

import java.util.List;

/**
 * A bundle whose manifest signature, every payload byte and validity were checked.
 *
 * @param manifestBytes the exact signed bytes of manifest.json
 * @param signerKeyIds the trusted keys whose signatures verified
 * @param sha256 SHA-256 of the whole bundle file, for logs and status
 */
public record VerifiedBundle(Manifest manifest, byte[] manifestBytes, List<String> signerKeyIds, String sha256) {}
