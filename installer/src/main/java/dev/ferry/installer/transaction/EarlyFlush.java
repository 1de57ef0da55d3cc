package dev.ferry.installer.transaction;

import dev.ferry.common.files.FileFailure;
import dev.ferry.installer.host.TreeFlush;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sends the staged files to the disk while the rest of the bundle is still being written, on a thread that only
 * waits for the disk: the flush of the whole tree before the switch ({@link TreeFlush}) then finds little left to
 * write, instead of the whole release (1.3 s for 2 GB here). Large files are flushed on their own, in steps while
 * they are written; small ones, thousands of them, by one flush of the file system ({@code sync -f}) each time enough
 * of them were written ({@link #TREE_STEP}), never one by one (an fsync storm on a journaling file system).
 *
 * <p>Durability still rests on the flush before the switch; this moves the disk's work earlier. A flush that fails
 * here fails the install like a failed write: the kernel reports a write-back error to one {@code syncfs} only, so
 * the later flush would not see it again. Where {@code sync -f} does not work at all (checked once, before anything
 * is written: coreutils before 8.24, Windows, an in-memory file system), only large files are flushed early.
 *
 * <p>Bounded: at most {@link #QUEUED} flushes wait, so a disk slower than the page cache slows the writers down
 * rather than piling up open files.
 */
final class EarlyFlush {
    static final int QUEUED = 16;
    /** Small files' bytes written between two flushes of the file system. */
    static final long TREE_STEP = 24L << 20;

    private enum Kind {
        /** Flush what the channel holds so far. */
        FILE,
        /** Flush it, then close it. */
        LAST,
        /** Flush the file system holding the staging folder. */
        TREE,
        /** No more requests. */
        END
    }

    private record Request(Kind kind, FileChannel channel, Path path) {}

    private final Path tree;
    private final BlockingQueue<Request> queue = new ArrayBlockingQueue<>(QUEUED);
    private final AtomicLong smallBytes = new AtomicLong();
    private final AtomicBoolean treeQueued = new AtomicBoolean();
    private final Thread thread;
    /** Whether {@code sync -f} works here: learnt by the thread before it takes the first request. */
    private volatile boolean treeFlushes;

    private volatile Throwable failure;
    private volatile boolean abandoned;

    /** @param tree the staging folder, whose file system is flushed for the small files */
    EarlyFlush(Path tree) {
        this.tree = tree;
        thread = new Thread(this::run, "ferry-staging-flush");
        thread.setDaemon(true);
        thread.start();
    }

    /** Queues a flush of what {@code channel} holds so far; with {@code last}, the channel is this class's to close. */
    void flush(FileChannel channel, Path path, boolean last) throws IOException {
        try {
            queue.put(new Request(last ? Kind.LAST : Kind.FILE, channel, path));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while flushing the staging folder");
        }
    }

    /** A small file of {@code size} bytes was written and closed; the next flush of the file system takes it. */
    void written(long size) {
        if (smallBytes.addAndGet(size) >= TREE_STEP && treeQueued.compareAndSet(false, true)) {
            if (queue.offer(new Request(Kind.TREE, null, tree))) {
                smallBytes.set(0);
            } else {
                treeQueued.set(false); // busy with large files: the next small file asks again
            }
        }
    }

    /** From now on files are closed without being flushed: the install failed or was stopped. */
    void abandon() {
        abandoned = true;
    }

    /**
     * Waits until every queued flush is done (or abandoned) and every file handed over is closed.
     *
     * @return the first failure, or null
     */
    Throwable end() {
        Uninterruptibly.put(queue, new Request(Kind.END, null, null));
        Uninterruptibly.join(thread);
        // Left by a thread that died of an Error: closed here, so no file stays open.
        List<Request> left = new ArrayList<>();
        queue.drainTo(left);
        left.stream().filter(r -> r.kind() == Kind.LAST).forEach(r -> closeQuietly(r.channel()));
        return failure;
    }

    private void run() {
        try {
            treeFlushes = TreeFlush.syncFileSystem(tree);
        } catch (IOException | RuntimeException e) {
            treeFlushes = false; // only the early flush of small files is lost; the flush before the switch stays
        }
        for (Request r = Uninterruptibly.take(queue); r.kind() != Kind.END; r = Uninterruptibly.take(queue)) {
            try {
                if (failure == null && !abandoned) {
                    perform(r);
                }
            } catch (IOException e) {
                failure = FileFailure.of("flush", r.path(), e);
            } catch (RuntimeException | Error e) { // a bug or no memory: still the install's failure, not a hang
                failure = e;
            } finally {
                if (r.kind() == Kind.LAST) {
                    closeQuietly(r.channel());
                }
            }
        }
    }

    private void perform(Request r) throws IOException {
        if (r.kind() == Kind.TREE) {
            treeQueued.set(false);
            if (treeFlushes && !TreeFlush.syncFileSystem(tree)) {
                throw new IOException("sync -f " + tree + " failed: the disk did not take the staged files");
            }
        } else {
            r.channel().force(false);
        }
    }

    /** A file flushed, or abandoned with its staging folder: what the disk refuses, the flush before the switch says. */
    static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // see above
        }
    }
}
