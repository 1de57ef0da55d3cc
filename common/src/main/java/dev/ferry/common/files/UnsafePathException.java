package dev.ferry.common.files;

import java.nio.file.Path;

/**
 * A path Ferry refuses to use as root: a symbolic link where a folder or file of its own belongs, or a folder that
 * another account could write (and so plant a link in). The message names the path, why, and the fix.
 */
public final class UnsafePathException extends FileFailure {
    private static final long serialVersionUID = 1L;

    public UnsafePathException(Path path, String why, String fix) {
        super("refusing " + path + ": " + why + "; " + fix, path, null);
    }
}
