package dev.ferry.bundle;

/**
 * One payload file of the manifest: bundle path ({@code payload/...}), size, SHA-256 (lowercase hex), mode ("0755").
 * {@code fromBase}: in a delta bundle, the file is not carried; the installer takes it from the base release
 * ({@code "from": "base"} in the manifest, SPEC section 11).
 */
public record FileEntry(String path, long size, String sha256, String mode, boolean fromBase) {
    /** A file the bundle carries. */
    public FileEntry(String path, long size, String sha256, String mode) {
        this(path, size, sha256, mode, false);
    }

    /** The same file, taken from the base release instead of carried. */
    public FileEntry reused() {
        return new FileEntry(path, size, sha256, mode, true);
    }
}
