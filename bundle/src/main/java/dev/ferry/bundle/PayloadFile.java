package dev.ferry.bundle;

import java.nio.file.Path;

/**
 * One file to pack: its bundle path ({@code payload/...}), the regular file it is read from, and its mode
 * ({@link PayloadPaths#MODES}). Folders are not carried: an empty folder of the runtime does not reach the host.
 *
 * @param stamp the source's stamp, taken by the caller earlier (the walk of the runtime folder, which stats every
 *     file anyway, so the writer need not stat it again; a change since is refused all the same); null to have the
 *     writer stat it
 */
public record PayloadFile(String path, Path source, String mode, FileStamp stamp) {
    public PayloadFile(String path, Path source, String mode) {
        this(path, source, mode, null);
    }
}
