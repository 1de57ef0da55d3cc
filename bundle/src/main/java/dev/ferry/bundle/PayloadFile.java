package dev.ferry.bundle;

import java.nio.file.Path;

/**
 * One file to pack: its bundle path ({@code payload/...}), the regular file it is read from, and its mode
 * ({@link PayloadPaths#MODES}). Folders are not carried: an empty folder of the runtime does not reach the host.
 *
 * @param stamp the source's stamp, where the caller had just read it (a walk of the runtime folder, which stats every
 *     file anyway: a second stat of 10,000 files cost create 0.09 s); null to have the writer stat it
 */
public record PayloadFile(String path, Path source, String mode, FileStamp stamp) {
    public PayloadFile(String path, Path source, String mode) {
        this(path, source, mode, null);
    }
}
