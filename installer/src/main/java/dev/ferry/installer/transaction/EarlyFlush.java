package dev.ferry.installer.transaction;

import dev.ferry.common.files.FileFailure;
import dev.ferry.installer.host.TreeFlush;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sends the staged files to the disk while the rest of the bundle is still being written, on a thread that only
 * waits for the disk: the flush of the whole tree before the switch ({@link TreeFlush}) then finds little left to
 * write, instead of the whole release (1.3 s for 2 GB here). Large files are flushed on their own, in steps while
 * they are written; small ones, thousands of them, by one flush of the file system each time enough of them were
 * written ({@link #TREE_STEP}), never one by one (an fsync storm on a journaling file system). Durability still rests
 * on the flush before the switch; this only moves the disk's work earlier, so a failure here is reported like a
 * failed write.
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
    private volatile IOException failure;
    private volatile boolean skipping;

    /** @param tree the staging folder, whose file system is flushed for the small files */
    EarlyFlush(Path tree) {
        this.tree = tree;
        thread = new Thread(this::run, "ferry-staging-flush");
        thread.setDaemon(true);
        thread.start();
    }

    /** Queues a flush of what {@code channel} holds so far; with {@code last}, the channel is this class's to close. */
    void flush(FileChannel channel, Path path, boolean last) throws IOException {
        put(new Request(last ? Kind.LAST : Kind.FILE, channel, path));
    }

    /** A small file of {@code size} bytes was written and closed; the next flush of the file system takes it. */
    void written(long size) {
        if (smallBytes.addAndGet(size) >= TREE_STEP && treeQueued.compareAndSet(false, true)) {
            smallBytes.set(0);
            if (!queue.offer(new Request(Kind.TREE, null, tree))) {
                treeQueued.set(false); // busy with large files: the next small file asks again
            }
        }
    }

    /**
     * Waits until every queued flush is done and every file closed; with {@code abandon}, closes them without
     * flushing.
     *
     * @return the first flush that failed, or null
     */
    IOException end(boolean abandon) throws IOException {
        skipping = abandon;
        put(new Request(Kind.END, null, null));
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while flushing the staging folder");
        }
        return failure;
    }

    private void put(Request request) throws IOException {
        try {
            queue.put(request);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while flushing the staging folder");
        }
    }

    private void run() {
        try {
            for (Request r = queue.take(); r.kind() != Kind.END; r = queue.take()) {
                try {
                    if (failure == null && !skipping) {
                        perform(r);
                    }
                } catch (IOException e) {
                    failure = FileFailure.of("flush", r.path(), e);
                } finally {
                    if (r.kind() == Kind.LAST) {
                        closeQuietly(r.channel());
                    }
                }
            }
        } catch (InterruptedException e) {
            // Nobody interrupts this thread (end() hands it the end instead): end quietly.
        }
    }

    private void perform(Request r) throws IOException {
        if (r.kind() == Kind.TREE) {
            treeQueued.set(false);
            TreeFlush.syncFileSystem(tree); // where it cannot, the flush before the switch does it all
        } else {
            r.channel().force(false);
        }
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // Flushed (or abandoned) already; the tree's flush reports what the disk refuses.
        }
    }
}
