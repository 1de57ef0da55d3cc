package dev.ferry.bundle;

import java.nio.file.Path;

/**
 * One file to pack: its bundle path ({@code payload/...}), the regular file it is read from, and its mode
 * ({@link PayloadPaths#MODES}). Folders are not carried: an empty folder of the runtime does not reach the host.
 */
public record PayloadFile(String path, Path source, String mode) {}
