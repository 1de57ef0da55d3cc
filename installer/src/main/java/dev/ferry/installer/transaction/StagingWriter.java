package dev.ferry.installer.transaction;

import dev.ferry.common.files.FileFailure;
import dev.ferry.common.files.FileMode;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Creates and fills the staged files on threads of their own: while the kernel creates files and copies their bytes
 * into the page cache (most of what {@code tar -x} spends), the caller's thread already reads, checks and hashes the
 * next ones. Measured in bench/NOTES.md ("Issue 17, fourth round").
 *
 * <p>The caller hands over the files' bytes in {@link #PIECE}-sized buffers, many small files to a buffer; a writer
 * gives each buffer back once written, so memory is bounded by {@link #PIECES} buffers whatever the bundle holds.
 * The first failure stops all writing (later files are not created) and comes out of the caller's next call, naming
 * the file it happened on; {@link #finish} returns only when every file is written and closed, and {@link #close}
 * stops the threads without waiting for the rest, so that nothing is written into a staging folder after the
 * transaction deleted it.
 */
final class StagingWriter implements AutoCloseable {
    static final int PIECE = 1 << 20;
    static final int PIECES = 6;
    /**
     * Two writers: creating thousands of small files is one core's kernel work (inode allocation), which a second
     * thread spreads over the second core while the rest of the install waits on it.
     */
    static final int LANES = 2;
    /**
     * The next file goes to the other writer when it starts a new folder, or when the current writer has been given
     * this much. Two writers creating files in one folder wait on each other (the kernel locks the folder for each
     * create); by folders they do not: measured on the JDK-heavy runtime (200 files a folder), install 3.52 -> 3.17 s
     * (medians of 7 alternating runs). The size bound keeps both busy where one folder holds most of the files.
     */
    static final long SWITCH_AFTER = 4L << 20;
    /** A file's bytes are sent to the disk in steps of this size while it is written, and the rest once it is done. */
    static final long FLUSH_STEP = 16L << 20;
    /** Files smaller than this wait for the flush of the whole tree at the end (one syncfs, not thousands). */
    static final long FLUSH_AT = 1L << 20;

    /** One thing to do on a writer's thread: create a file, append bytes of the piece to it, or close it. */
    private sealed interface Step permits Create, Append, Done {}

    private record Create(Path target, FileMode mode) implements Step {}

    private record Append(int offset, int length) implements Step {}

    private record Done() implements Step {
        static final Done INSTANCE = new Done();
    }

    /** Creates a staged file with its mode, open for writing; called on the writers' threads. */
    @FunctionalInterface
    interface Creator {
        FileChannel create(Path target, FileMode mode) throws IOException;
    }

    /** A buffer and what to do with its bytes; a piece without bytes ends a writer. */
    private record Piece(byte[] bytes, List<Step> steps) {}

    private static final Piece END = new Piece(null, List.of());

    private final Creator creator;
    private final BlockingQueue<byte[]> free = new ArrayBlockingQueue<>(PIECES);
    private final List<Lane> lanes = new ArrayList<>();
    private final EarlyFlush flusher;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile boolean aborted;

    // The caller's side.
    private byte[] bytes;
    private int position;
    private List<Step> steps = new ArrayList<>();
    /** The lane the next piece goes to: the same as the last one while a file continues into it. */
    private int lane;

    private boolean fileOpen;
    /** The folder of the last file queued: a new folder goes to the other writer. */
    private Path lastFolder;
    /** Bytes handed to the current writer since it took over. */
    private long sinceSwitch;

    private boolean ended;

    /**
     * @param staging the staging folder, whose file system is flushed while small files are written
     * @param creator how a staged file is created with its mode (the sink's own create call)
     */
    StagingWriter(Path staging, Creator creator) {
        this.creator = creator;
        this.flusher = new EarlyFlush(staging);
        for (int i = 1; i < PIECES; i++) {
            free.add(new byte[PIECE]);
        }
        bytes = new byte[PIECE];
        for (int i = 0; i < LANES; i++) {
            lanes.add(new Lane("ferry-staging-writer-" + i));
        }
    }

    /** Queues {@code target}, created with {@code mode}, holding all of {@code content}; blocks while buffers are full. */
    void write(Path target, FileMode mode, InputStream content) throws IOException {
        throwFailure();
        Path folder = target.getParent();
        boolean newFolder = !folder.equals(lastFolder);
        lastFolder = folder;
        if (position > 0 && (newFolder || sinceSwitch + position >= SWITCH_AFTER)) {
            handOver(true); // between two files: the next one goes to the other writer
        } else if (position >= PIECE / 2) {
            handOver(false); // the writer starts on these files now instead of when the piece is full
        }
        steps.add(new Create(target, mode));
        fileOpen = true;
        while (true) {
            if (position == bytes.length) {
                handOver(false);
            }
            int n = content.read(bytes, position, bytes.length - position);
            if (n < 0) {
                break;
            }
            steps.add(new Append(position, n));
            position += n;
        }
        steps.add(Done.INSTANCE);
        fileOpen = false;
    }

    /**
     * Waits until every queued file is written and closed; throws the first failure, if any. The writers have
     * stopped when this returns, whether it throws or not.
     */
    void finish() throws IOException {
        if (ended) {
            throwFailure();
            return;
        }
        if (fileOpen || failure.get() != null) {
            // A writer's failure is the one to report (possibly stopping a write() half-way through its file);
            // without one, a file whose bytes stopped half-way (its read failed) is never finished.
            close();
            throwFailure();
            throw new IllegalStateException("finish() after a file that was not read to its end");
        }
        try {
            if (!steps.isEmpty() && failure.get() == null) {
                lanes.get(lane).put(new Piece(bytes, steps));
                steps = List.of();
            }
        } finally {
            end();
        }
        throwFailure();
    }

    /** Stops the writers, dropping what they have not written yet, and waits for their threads to end. */
    @Override
    public void close() {
        if (!ended) {
            aborted = true;
            flusher.abandon();
            end();
        }
    }

    /** Sends the piece to the current writer, then, if {@code switchLane} and no file continues, turns to the other. */
    private void handOver(boolean switchLane) throws IOException {
        throwFailure();
        lanes.get(lane).put(new Piece(bytes, steps));
        sinceSwitch += position;
        if (switchLane && !fileOpen) {
            lane = (lane + 1) % LANES;
            sinceSwitch = 0;
        }
        try {
            bytes = free.take();
        } catch (InterruptedException e) {
            throw interrupted();
        }
        position = 0;
        steps = new ArrayList<>();
    }

    /** How many pieces each writer wrote: read after {@link #finish}, when the writers have ended. */
    List<Integer> piecesPerWriter() {
        return lanes.stream().map(l -> l.pieces).toList();
    }

    /** Every writer, then the flusher, stopped and joined: nothing of theirs runs after this returns. */
    private void end() {
        ended = true;
        for (Lane each : lanes) {
            each.put(END);
        }
        for (Lane each : lanes) {
            Uninterruptibly.join(each.thread);
        }
        if (failure.get() != null) {
            flusher.abandon();
        }
        Throwable flushFailed = flusher.end();
        if (flushFailed != null) {
            failure.compareAndSet(null, flushFailed);
        }
    }

    private void throwFailure() throws IOException {
        Throwable t = failure.get();
        if (t instanceof IOException io) {
            throw io;
        }
        if (t instanceof RuntimeException re) {
            throw re;
        }
        if (t instanceof Error error) {
            throw error;
        }
    }

    private static InterruptedIOException interrupted() {
        Thread.currentThread().interrupt();
        return new InterruptedIOException("interrupted while writing the staging folder");
    }

    /** One writer: its thread, its queue, and the file it has open (a file never moves between writers). */
    private final class Lane {
        private final BlockingQueue<Piece> filled = new ArrayBlockingQueue<>(PIECES + 1);
        private final Thread thread;
        private FileChannel open;
        private Path openTarget;
        private long openWritten;
        private long openFlushed;
        /** Pieces this writer took (read once it ended): both writers must get work. */
        private int pieces;

        Lane(String name) {
            thread = new Thread(this::run, name);
            thread.setDaemon(true);
            thread.start();
        }

        void put(Piece piece) {
            Uninterruptibly.put(filled, piece);
        }

        /** Takes every piece until the end, whatever happens: a piece not given back would block the caller. */
        private void run() {
            for (Piece piece = Uninterruptibly.take(filled);
                    piece.bytes() != null;
                    piece = Uninterruptibly.take(filled)) {
                if (failure.get() == null && !aborted) {
                    apply(piece);
                    pieces++;
                }
                free.add(piece.bytes());
            }
            closeQuietly();
        }

        private void apply(Piece piece) {
            try {
                for (Step step : piece.steps()) {
                    if (step instanceof Create create) {
                        openTarget = create.target();
                        open = creator.create(create.target(), create.mode());
                        openWritten = 0;
                        openFlushed = 0;
                    } else if (step instanceof Append append) {
                        append(piece.bytes(), append);
                    } else {
                        closeFile();
                    }
                }
            } catch (IOException e) {
                failure.compareAndSet(null, FileFailure.of("write", openTarget, e));
                closeQuietly();
            } catch (RuntimeException | Error e) { // a bug or no memory: still the install's failure, not a hang
                failure.compareAndSet(null, e);
                closeQuietly();
            }
        }

        private void append(byte[] from, Append append) throws IOException {
            ByteBuffer slice = ByteBuffer.wrap(from, append.offset(), append.length());
            while (slice.hasRemaining()) {
                open.write(slice);
            }
            openWritten += append.length();
            if (openWritten - openFlushed >= FLUSH_STEP) {
                openFlushed = openWritten;
                flusher.flush(open, openTarget, false);
            }
        }

        private void closeFile() throws IOException {
            FileChannel done = open;
            open = null;
            if (openWritten >= FLUSH_AT) {
                flusher.flush(done, openTarget, true);
            } else {
                done.close();
                flusher.written(openWritten);
            }
        }

        /** After a failure or when stopped: the file being written is abandoned with its staging folder. */
        private void closeQuietly() {
            if (open != null) {
                EarlyFlush.closeQuietly(open);
                open = null;
            }
        }
    }
}
