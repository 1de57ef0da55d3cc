package dev.ferry.installer.host;

import dev.ferry.common.ExitCode;
import dev.ferry.common.FerryException;
import dev.ferry.common.files.AtomicWriter;
import dev.ferry.common.files.FileMode;
import dev.ferry.common.files.PathChecks;
import dev.ferry.common.files.UnsafePathException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

/**
 * Transaction step 1: the host lock. An OS file lock, so it dies with its process: a lock left by a killed install
 * is free again and the next run simply takes it (then recovery finishes or undoes what that run left). The holder
 * writes its pid into the file so a refused run can name it.
 */
public final class HostLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    private HostLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Takes the lock at once or throws LOCKED (exit 8); never waits. */
    public static HostLock acquire(Path lockFile) {
        try {
            FileChannel channel = open(lockFile);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                String holder = holder(channel);
                channel.close();
                throw new FerryException(
                        ExitCode.LOCKED,
                        "another install is in progress on this host ("
                                + (holder.isEmpty() ? "" : "pid " + holder + ", ") + "lock " + lockFile
                                + "); wait for it to finish and run this again");
            }
            channel.truncate(0);
            channel.write(
                    ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
            channel.force(false);
            return new HostLock(channel, lock);
        } catch (UnsafePathException e) {
            throw new FerryException(ExitCode.PREFLIGHT, e.getMessage() + " (nothing changed)", e);
        } catch (IOException e) {
            // A host that cannot even hold the lock file (read-only, locked down) is unfit, not a bug: exit 4.
            String why = e instanceof AccessDeniedException
                    ? "permission denied"
                    : String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT).contains("read-only")
                            ? "the file system is read-only"
                            : String.valueOf(e.getMessage());
            throw new FerryException(
                    ExitCode.PREFLIGHT,
                    "cannot take the host lock " + lockFile + ": " + why
                            + "; nothing changed (the install needs a writable " + lockFile.getParent() + ")",
                    e);
        }
    }

    /**
     * The lock file, created 0644 in a folder only root can write; never through a link (a link planted there
     * would have root truncate whatever it points at).
     */
    private static FileChannel open(Path lockFile) throws IOException {
        Path dir = lockFile.toAbsolutePath().getParent();
        PathChecks.hostFolders(dir);
        PathChecks.ownTree(dir, lockFile);
        AtomicWriter.createFolders(dir, FileMode.FOLDER);
        try {
            return AtomicWriter.createNew(lockFile, FileMode.READABLE, StandardOpenOption.READ);
        } catch (FileAlreadyExistsException exists) {
            return FileChannel.open(
                    lockFile, StandardOpenOption.READ, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
        }
    }

    private static String holder(FileChannel channel) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(32);
        channel.read(buf, 0);
        String text = new String(buf.array(), 0, buf.position(), StandardCharsets.US_ASCII).trim();
        return text.matches("\\d{1,10}") ? text : "";
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
