package dev.ferry.bundle;

/**
 * One payload file of the manifest: bundle path ({@code payload/...}), size, SHA-256 (lowercase hex), mode ("0755").
 * {@code fromBase}: in a delta bundle, the file is not carried; the installer takes it from the base release
 * ({@code "from": "base"} in the manifest, SPEC section 11).
 *
 * <p>A secret file ({@code payload/secrets/...}, {@link BundleLayout#isSecret}) publishes neither its size nor a
 * fast digest: {@code size} is {@link #SIZE_NOT_PUBLISHED}, {@code sha256} null, and {@code secret} says how its bytes
 * are bound (SPEC section 2, {@link SecretDigest}). Every other file has {@code secret} null.
 */
public record FileEntry(String path, long size, String sha256, String mode, boolean fromBase, SecretDigest secret) {
    /** The size of a secret entry: not published (its tar entry is capped at {@link SecretDigest#MAX_SECRET_BYTES}). */
    public static final long SIZE_NOT_PUBLISHED = -1;

    /** A file the bundle carries. */
    public FileEntry(String path, long size, String sha256, String mode) {
        this(path, size, sha256, mode, false, null);
    }

    public FileEntry(String path, long size, String sha256, String mode, boolean fromBase) {
        this(path, size, sha256, mode, fromBase, null);
    }

    /** A secret file as the manifest lists it: path, mode and how its bytes are bound, nothing else. */
    public static FileEntry secret(String path, String mode, SecretDigest secret) {
        return new FileEntry(path, SIZE_NOT_PUBLISHED, null, mode, false, secret);
    }

    /** The same file, taken from the base release instead of carried. */
    public FileEntry reused() {
        return new FileEntry(path, size, sha256, mode, true, secret);
    }

    public boolean isSecret() {
        return secret != null;
    }

    /** The size the manifest states: 0 for a secret, whose size it does not publish (for totals and disk space). */
    public long publishedSize() {
        return isSecret() ? 0 : size;
    }
}
