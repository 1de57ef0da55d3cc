package dev.ferry.bundle;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Reads a stream on its own thread, a few chunks ahead of the consumer: zstd decompresses (and the bundle's
 * SHA-256 is computed) on one core while the tar reader, the per-file SHA-256 and the writes to disk run on
 * another. Memory is bounded: {@link #CHUNKS} buffers of {@link #CHUNK} bytes, recycled.
 *
 * <p>The consumer sees exactly the bytes of the source, in order, then its end or the very {@link IOException}
 * the source threw, at the point where it threw it: errors come out as they would without the thread.
 */
final class ReadAhead extends InputStream {
    static final int CHUNK = 1 << 20;
    static final int CHUNKS = 4;

    /** A filled chunk, or the end ({@code length < 0}), or the source's failure. */
    private record Chunk(byte[] bytes, int length, Throwable failure) {}

    private final InputStream source;
    private final BlockingQueue<byte[]> free = new ArrayBlockingQueue<>(CHUNKS);
    private final BlockingQueue<Chunk> filled = new ArrayBlockingQueue<>(CHUNKS + 1);
    private final Thread reader;
    private Chunk current;
    private int position;
    private boolean ended;
    /** The source returned -1 (reading thread only): zstd is not asked again after its end. */
    private boolean sourceEnded;
    /** What the source threw after filling part of a chunk (reading thread only): delivered after those bytes. */
    private IOException pendingFailure;

    private volatile boolean closed;

    ReadAhead(InputStream source, String name) {
        this.source = source;
        for (int i = 0; i < CHUNKS; i++) {
            free.add(new byte[CHUNK]);
        }
        reader = new Thread(this::fill, name);
        reader.setDaemon(true);
        reader.start();
    }

    private void fill() {
        try {
            while (true) {
                byte[] buffer = free.take();
                if (closed) {
                    return;
                }
                if (pendingFailure != null) {
                    throw pendingFailure;
                }
                int length = sourceEnded ? -1 : readSome(buffer);
                if (length < 0) {
                    filled.put(new Chunk(null, -1, null));
                    return;
                }
                filled.put(new Chunk(buffer, length, null));
            }
        } catch (InterruptedException e) {
            // Nobody interrupts this thread (stop() hands it a buffer instead): end quietly.
        } catch (IOException | RuntimeException | Error e) {
            filled.offer(new Chunk(null, -1, e));
        }
    }

    /** Fills as much of the buffer as one or more source reads give, so chunks are large; -1 at the end. */
    private int readSome(byte[] buffer) throws IOException {
        int off = 0;
        while (off < buffer.length) {
            int n;
            try {
                n = source.read(buffer, off, buffer.length - off);
            } catch (IOException e) {
                if (off == 0) {
                    throw e;
                }
                pendingFailure = e;
                return off;
            }
            if (n < 0) {
                sourceEnded = true;
                return off == 0 ? -1 : off;
            }
            off += n;
            if (off >= buffer.length / 2) {
                break;
            }
        }
        return off;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (!nextChunk()) {
            return -1;
        }
        int n = Math.min(len, current.length() - position);
        System.arraycopy(current.bytes(), position, b, off, n);
        position += n;
        return n;
    }

    /** Makes {@code current} a chunk with bytes left; false at the end. Rethrows the source's failure. */
    private boolean nextChunk() throws IOException {
        while (current == null || position == current.length()) {
            if (ended) {
                return false;
            }
            if (current != null) {
                free.add(current.bytes());
                current = null;
            }
            Chunk next;
            try {
                next = filled.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while reading the bundle");
            }
            if (next.failure() != null) {
                ended = true;
                rethrow(next.failure());
            }
            if (next.length() < 0) {
                ended = true;
                return false;
            }
            current = next;
            position = 0;
        }
        return true;
    }

    private static void rethrow(Throwable failure) throws IOException {
        if (failure instanceof IOException io) {
            throw io;
        }
        if (failure instanceof RuntimeException runtime) {
            throw runtime;
        }
        throw (Error) failure;
    }

    /**
     * Stops the reading thread and waits for it, so the source is no longer in use when this returns (the caller
     * may then read or close it). Does not close the source.
     */
    void stop() {
        closed = true;
        // Not an interrupt: that would close a channel the thread reads. If it waits for a buffer, here is one;
        // otherwise it is reading, and sees `closed` next (its hand-over queue never fills: it has room for every
        // buffer and the end).
        free.offer(new byte[0]);
        boolean interrupted = false;
        while (reader.isAlive()) {
            try {
                reader.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop();
    }
}
