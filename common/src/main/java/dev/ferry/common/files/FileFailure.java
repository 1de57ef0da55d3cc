package dev.ferry.common.files;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * A file operation the host refused, as one line naming the path and the cause ("cannot write /etc/ferry/bot/token:
 * No space left on device"), so that whoever reads it knows what to free, remount or fix, not a Java class name.
 */
public class FileFailure extends IOException {
    private static final long serialVersionUID = 1L;
    private final transient Path path;

    public FileFailure(String message, Path path, Throwable cause) {
        super(message, cause);
        this.path = path;
    }

    /** "cannot VERB PATH: cause", keeping the original exception as the cause (its type tells disk-full apart). */
    public static FileFailure of(String verb, Path path, IOException cause) {
        if (cause instanceof FileFailure already) {
            return already;
        }
        return new FileFailure("cannot " + verb + " " + path + ": " + reason(cause), path, cause);
    }

    public Path path() {
        return path;
    }

    /** The cause in words: the system's reason without the path the JDK repeats in front of it. */
    public static String reason(Throwable e) {
        if (e instanceof NoSuchFileException n) {
            return "no such file or folder" + (n.getFile() == null ? "" : " (" + n.getFile() + ")");
        }
        if (e instanceof AccessDeniedException a) {
            return "permission denied" + (a.getFile() == null ? "" : " (" + a.getFile() + ")");
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason() + (f.getFile() == null ? "" : " (" + f.getFile() + ")");
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
