package dev.ferry.bundler.sbom;

/**
 * The payload's secret files (the token, the proxy password): the SBOM and the provenance name them but never
 * publish a digest of them, which would let a reader test guesses (SPEC section 2).
 */
final class SecretFiles {
    static final String PREFIX = "payload/secrets/";

    private SecretFiles() {}

    static boolean isSecret(String path) {
        return path.startsWith(PREFIX);
    }
}
