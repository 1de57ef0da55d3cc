package dev.ferry.installer.transaction;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Creates and writes the staged files on its own thread. Creating thousands of files is kernel work, one core's
 * worth; the verifier's thread meanwhile reads the tar and hashes the next files. A few buffers circulate between
 * the two threads, so memory stays bounded and a small file costs no allocation.
 *
 * <p>A failure on this thread (a full disk) is kept and thrown on the caller's thread at its next call, so it is
 * reported as if the caller had written the file itself. {@link #close} always stops the thread, so the caller may
 * delete the staging folder afterwards without racing a write.
 */
final class StagingWriter implements AutoCloseable {
    private static final int BUFFER = 256 * 1024;
    private static final int BUFFERS = 16;

    /** One step for the writing thread: open a file, write bytes to it, close it, report, or stop. */
    private record Op(Kind kind, Path target, Set<PosixFilePermission> mode, byte[] bytes, int length) {}

    private enum Kind { OPEN, WRITE, CLOSE, SYNC, STOP }

    private final BlockingQueue<byte[]> free = new ArrayBlockingQueue<>(BUFFERS);
    /** Room for every buffer plus the opens, closes and the stop that go between them. */
    private final BlockingQueue<Op> ops = new ArrayBlockingQueue<>(4 * BUFFERS);
    private final BlockingQueue<Object> synced = new ArrayBlockingQueue<>(1);
    private final boolean posix;
    private final Thread thread;
    private volatile IOException failure;
    /** Permission bits the process umask takes away at creation (writing thread only; -1 until measured). */
    private int umask = -1;

    StagingWriter(boolean posix) {
        this.posix = posix;
        for (int i = 0; i < BUFFERS; i++) {
            free.add(new byte[BUFFER]);
        }
        thread = new Thread(this::run, "ferry-staging-writer");
        thread.setDaemon(true);
        thread.start();
    }

    /** Writes {@code content} to a new file {@code target} with {@code mode} (asynchronously). */
    void write(Path target, Set<PosixFilePermission> mode, InputStream content) throws IOException {
        throwFailure();
        put(new Op(Kind.OPEN, target, mode, null, 0));
        while (true) {
            byte[] buffer = take(free);
            int length = fill(content, buffer);
            if (length <= 0) {
                free.add(buffer);
                break;
            }
            put(new Op(Kind.WRITE, null, null, buffer, length));
        }
        put(new Op(Kind.CLOSE, null, null, null, 0));
    }

    /** Returns once every file handed over is written and closed; throws what went wrong on the way. */
    void finish() throws IOException {
        throwFailure();
        put(new Op(Kind.SYNC, null, null, null, 0));
        take(synced);
        throwFailure();
    }

    @Override
    public void close() {
        ops.clear();
        ops.offer(new Op(Kind.STOP, null, null, null, 0));
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        FileChannel out = null;
        Op open = null;
        while (true) {
            Op op;
            try {
                op = ops.take();
            } catch (InterruptedException e) {
                return;
            }
            try {
                switch (op.kind()) {
                    case OPEN -> {
                        open = op;
                        out = failure == null ? createNew(op.target(), op.mode()) : null;
                    }
                    case WRITE -> {
                        if (out != null) {
                            ByteBuffer bytes = ByteBuffer.wrap(op.bytes(), 0, op.length());
                            while (bytes.hasRemaining()) {
                                out.write(bytes);
                            }
                        }
                        free.add(op.bytes());
                    }
                    case CLOSE -> {
                        if (out != null) {
                            out.close();
                            out = null;
                            fixMode(open.target(), open.mode());
                        }
                    }
                    case SYNC -> synced.add(Boolean.TRUE);
                    case STOP -> {
                        closeQuietly(out);
                        return;
                    }
                }
            } catch (IOException e) {
                if (failure == null) {
                    failure = e;
                }
                closeQuietly(out);
                out = null;
                if (op.kind() == Kind.WRITE) {
                    free.add(op.bytes());
                }
            }
        }
    }

    /**
     * CREATE_NEW never follows a link planted at the target; a leftover of the same name is replaced. The mode is
     * given to open(2), so the usual umask (022) leaves nothing to fix afterwards.
     */
    private FileChannel createNew(Path target, Set<PosixFilePermission> mode) throws IOException {
        Set<StandardOpenOption> options = EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        FileAttribute<?>[] attrs = posix ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(mode)} : new FileAttribute<?>[0];
        try {
            return FileChannel.open(target, options, attrs);
        } catch (FileAlreadyExistsException e) {
            Files.delete(target);
            return FileChannel.open(target, options, attrs);
        }
    }

    /** chmod only where the umask took bits away at creation (a umask of 027 takes o+r from 0644, for example). */
    private void fixMode(Path target, Set<PosixFilePermission> mode) throws IOException {
        if (!posix) {
            return;
        }
        if (umask < 0) {
            umask = measureUmask(target.getParent());
        }
        if ((bits(mode) & umask) != 0) {
            Files.setPosixFilePermissions(target, mode);
        }
    }

    /** The process umask, from a probe file created with 0777 beside the first staged file. */
    private static int measureUmask(Path dir) throws IOException {
        Path probe = Files.createTempFile(dir, ".umask-", ".probe",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxrwxrwx")));
        try {
            return 0777 & ~bits(Files.getPosixFilePermissions(probe));
        } finally {
            Files.delete(probe);
        }
    }

    private static int bits(Set<PosixFilePermission> permissions) {
        int bits = 0;
        for (PosixFilePermission p : permissions) {
            bits |= 1 << (8 - p.ordinal());
        }
        return bits;
    }

    /** Reads until the buffer is full or the content ends, so a small file is one write. */
    private static int fill(InputStream content, byte[] buffer) throws IOException {
        int length = 0;
        while (length < buffer.length) {
            int n = content.read(buffer, length, buffer.length - length);
            if (n < 0) {
                break;
            }
            length += n;
        }
        return length;
    }

    private void throwFailure() throws IOException {
        IOException e = failure;
        if (e != null) {
            throw e;
        }
    }

    private void put(Op op) throws IOException {
        try {
            ops.put(op);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while staging files");
        }
    }

    private static <T> T take(BlockingQueue<T> queue) throws IOException {
        try {
            return queue.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while staging files");
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // Already failing; the first failure is the one reported.
            }
        }
    }
}
