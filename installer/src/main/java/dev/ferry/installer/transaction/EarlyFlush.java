package dev.ferry.installer.transaction;

import dev.ferry.common.files.FileFailure;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Sends large staged files to the disk while the rest of the bundle is still being written, on a thread that only
 * waits for the disk: the flush of the whole tree before the switch ({@code TreeFlush}) then finds little left to
 * write, instead of the whole release (1.3 s for 2 GB here). Durability still rests on that flush; this only moves
 * the disk's work earlier, so a failure here is reported like a failed write.
 *
 * <p>Bounded: at most {@link #QUEUED} files wait, so a disk slower than the page cache slows the writer down rather
 * than piling up open files.
 */
final class EarlyFlush {
    static final int QUEUED = 16;

    /** A file to flush, closed afterwards when {@code last}; a null channel ends the thread. */
    private record Request(FileChannel channel, Path path, boolean last) {}

    private final BlockingQueue<Request> queue = new ArrayBlockingQueue<>(QUEUED);
    private final Thread thread;
    private volatile IOException failure;
    private volatile boolean skipping;

    EarlyFlush() {
        thread = new Thread(this::run, "ferry-staging-flush");
        thread.setDaemon(true);
        thread.start();
    }

    /** Queues a flush of what {@code channel} holds so far; with {@code last}, the channel is this class's to close. */
    void flush(FileChannel channel, Path path, boolean last) throws IOException {
        put(new Request(channel, path, last));
    }

    /**
     * Waits until every queued flush is done and every file closed; with {@code abandon}, closes them without
     * flushing.
     *
     * @return the first flush that failed, or null
     */
    IOException end(boolean abandon) throws IOException {
        skipping = abandon;
        put(new Request(null, null, true));
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
            for (Request r = queue.take(); r.channel() != null; r = queue.take()) {
                try {
                    if (failure == null && !skipping) {
                        r.channel().force(false);
                    }
                } catch (IOException e) {
                    failure = FileFailure.of("flush", r.path(), e);
                } finally {
                    if (r.last()) {
                        closeQuietly(r.channel());
                    }
                }
            }
        } catch (InterruptedException e) {
            // Nobody interrupts this thread (end() hands it the end instead): end quietly.
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
