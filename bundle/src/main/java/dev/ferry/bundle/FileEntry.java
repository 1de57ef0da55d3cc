package dev.ferry.bundle;

/** One payload file of the manifest: bundle path ({@code payload/...}), size, SHA-256 (lowercase hex), mode ("0755"). */
public record FileEntry(String path, long size, String sha256, String mode) {}
