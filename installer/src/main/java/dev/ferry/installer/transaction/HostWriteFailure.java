package dev.ferry.installer.transaction;

import dev.ferry.common.ExitCode;
import dev.ferry.common.FerryException;
import dev.ferry.common.files.FileFailure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A host that cannot take the bytes (full disk, read-only or locked-down folder) is not a bug in Ferry: it becomes
 * one line naming the folder and the cause ("no space left", "read-only"), and the transaction's exit code, so a
 * technician sees what to free or remount instead of an internal error (exit 1).
 */
final class HostWriteFailure {
    private HostWriteFailure() {}

    /** {@code e} as the failure of a transaction that was undone (exit 7); a FerryException keeps its own code. */
    static RuntimeException undone(Exception e, String release, Path folder) {
        if (e instanceof FerryException fe) {
            return fe;
        }
        return new FerryException(
                ExitCode.ROLLED_BACK,
                release + ": install failed and was rolled back, the previous" + " install is intact: "
                        + describe(e, folder),
                e);
    }

    /** Why a step failed, in one line: Ferry's own message, what the host refused to write, or the cause's words. */
    static String why(Exception e, Path folder) {
        if (e instanceof IOException || e instanceof UncheckedIOException) {
            return describe(e, folder);
        }
        return HostTransaction.message(e);
    }

    /** One line: what went wrong writing under {@code folder}, in the technician's words where the cause is known. */
    static String describe(Exception e, Path folder) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String msg = t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
            if (msg.contains("no space left on device") || msg.contains("disk quota exceeded")) {
                return "no space left on the disk holding " + folder + free(folder)
                        + "; free space there and run this again";
            }
            if (msg.contains("read-only file system")) {
                return "the file system holding " + folder + " is read-only; remount it read-write and run this again";
            }
            if (t instanceof AccessDeniedException) {
                return "permission denied writing under " + folder + " (" + t.getMessage() + "); run as root or fix the"
                        + " folder's permissions";
            }
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof FileFailure named) {
                return named.getMessage(); // already one line naming the path and the cause
            }
        }
        Throwable io = e instanceof UncheckedIOException u ? u.getCause() : e;
        return "cannot write under " + folder + ": "
                + (io instanceof IOException && io.getMessage() != null ? io.getMessage() : HostTransaction.message(e));
    }

    private static String free(Path folder) {
        for (Path p = folder; p != null; p = p.getParent()) {
            if (Files.isDirectory(p)) {
                try {
                    // statvfs(2) directly: the file store would need the mount table, which a chroot lacks.
                    return " (" + p.toFile().getUsableSpace() / (1024 * 1024) + " MiB free)";
                } catch (UnsupportedOperationException notOnDisk) {
                    return "";
                }
            }
        }
        return "";
    }
}
