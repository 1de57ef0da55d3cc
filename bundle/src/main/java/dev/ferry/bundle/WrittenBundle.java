package dev.ferry.bundle;

import java.nio.file.Path;
import java.util.List;

/** A bundle on disk: its path, size in bytes, SHA-256 of the whole file, its manifest and the signers' key ids. */
public record WrittenBundle(Path path, long size, String sha256, Manifest manifest, List<String> keyIds) {}
