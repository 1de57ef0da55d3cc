package dev.ferry.bundle;

import dev.ferry.common.FerryException;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;

/**
 * The writer's input files, read twice (hashes first, then packing): what each looked like before the first read
 * ({@link FileStamp}), every file's SHA-256 computed on every core, and the one read loop both passes use. A file that
 * changes between the reads must be refused, never packed under the other read's hash.
 */
final class InputFiles {
    /** Reads in 1 MiB pieces: few system calls, bounded memory (one buffer per thread). */
    static final int IO_BUFFER = 1 << 20;

    /** Receives each piece of a file as it is read. */
    @FunctionalInterface
    interface Consumer {
        void accept(byte[] buffer, int length) throws IOException;
    }

    private InputFiles() {}

    /**
     * Each file's stamp: the one it came with ({@link PayloadFile#stamp}, taken when the runtime folder was walked), else
     * a stat of it now.
     *
     * @throws FerryException USAGE for a file that is missing, unreadable or not a regular file
     */
    static List<FileStamp> stat(List<PayloadFile> files) {
        List<FileStamp> stamps = new ArrayList<>(files.size());
        for (PayloadFile file : files) {
            stamps.add(file.stamp() != null ? file.stamp() : stamp(file));
        }
        return stamps;
    }

    private static FileStamp stamp(PayloadFile file) {
        FileStamp stamp;
        try {
            stamp = FileStamp.of(attributes(file.source()));
        } catch (IOException e) {
            throw FerryException.usage(file.source() + ": cannot read: " + e.getMessage());
        }
        if (stamp == null) {
            throw FerryException.usage(file.source() + ": not a regular file (for " + file.path() + ")");
        }
        return stamp;
    }

    /** One stat(2): with the status-change time where the platform has the unix view, else the basic attributes. */
    private static Map<String, Object> attributes(Path file) throws IOException {
        try {
            return Files.readAttributes(file, "unix:" + FileStamp.ATTRIBUTES);
        } catch (UnsupportedOperationException | IllegalArgumentException noUnixView) {
            return Files.readAttributes(file, FileStamp.BASIC_ATTRIBUTES);
        }
    }

    /**
     * Every file stat'ed again, on every core: it runs after the last byte was packed, when the compressors are done,
     * and one stat per file of a 10,000-file runtime took 60 ms of one core in a cold JVM.
     *
     * @throws FerryException USAGE naming the first file (in path order) whose stamp is not what it was
     */
    static void requireUnchanged(List<PayloadFile> files, List<FileStamp> before) {
        OptionalInt changed = IntStream.range(0, files.size())
                .parallel()
                .filter(i -> !stamp(files.get(i)).equals(before.get(i)))
                .findFirst();
        if (changed.isPresent()) {
            throw changed(files.get(changed.getAsInt()));
        }
    }

    /**
     * Starts every file's SHA-256 on {@code threads} threads of their own and returns at once, so the caller can check
     * the spec meanwhile. The largest files start first, so one big file does not finish alone at the end; after a
     * failure the files not yet started are skipped, and once the hashing is closed the ones being read stop too.
     */
    static Hashing sha256(List<PayloadFile> files, List<FileStamp> stamps, int threads) {
        return new Hashing(files, stamps, threads);
    }

    /** Hashes being computed; {@link #join()} takes them, {@link #close()} stops the rest. */
    static final class Hashing implements AutoCloseable {
        private final ExecutorService pool;
        /** A file failed: the files not yet started are skipped, the ones being read finish (join names the first). */
        private final AtomicBoolean failed = new AtomicBoolean();
        /** The caller gave up (a refused spec): the files being read stop too. */
        private final AtomicBoolean closed = new AtomicBoolean();

        private final List<Future<String>> hashes;

        private Hashing(List<PayloadFile> files, List<FileStamp> stamps, int threads) {
            pool = Executors.newFixedThreadPool(threads, task -> {
                Thread thread = new Thread(task, "ferry-hash");
                thread.setDaemon(true);
                return thread;
            });
            ThreadLocal<byte[]> buffers = ThreadLocal.withInitial(() -> new byte[IO_BUFFER]);
            hashes = new ArrayList<>(Collections.nCopies(files.size(), null));
            List<Integer> largestFirst = IntStream.range(0, files.size())
                    .boxed()
                    .sorted(Comparator.comparingLong(
                                    (Integer i) -> stamps.get(i).size())
                            .reversed())
                    .toList();
            for (int i : largestFirst) {
                hashes.set(i, pool.submit(() -> {
                    if (failed.get() || closed.get()) {
                        return null;
                    }
                    try {
                        MessageDigest sha256 = Sha256.digest();
                        read(files.get(i), stamps.get(i).size(), buffers.get(), (b, n) -> {
                            if (closed.get()) {
                                // Refused meanwhile: a large file is not read to its end for nothing.
                                throw new CancellationException();
                            }
                            sha256.update(b, 0, n);
                        });
                        return Sha256.hex(sha256);
                    } catch (RuntimeException e) {
                        failed.set(true);
                        throw e;
                    }
                }));
            }
        }

        /**
         * @return every file's SHA-256 (lowercase hex, in the order of the files)
         * @throws FerryException the first failure in the files' order, as if hashed on this thread
         */
        List<String> join() {
            List<String> hex = new ArrayList<>(hashes.size());
            for (Future<String> hash : hashes) {
                hex.add(result(hash));
            }
            return hex;
        }

        @Override
        public void close() {
            closed.set(true);
            pool.shutdownNow();
        }
    }

    /**
     * Reads {@code input}, which must still hold exactly {@code size} bytes, piece by piece into {@code consumer}.
     *
     * @throws FerryException USAGE when it cannot be read or its size changed
     * @throws ConsumerFailure wrapping an IOException of the consumer itself (the bundle being written)
     */
    static void read(PayloadFile input, long size, byte[] buffer, Consumer consumer) {
        long read = 0;
        try (InputStream in = new FileInputStream(input.source().toFile())) {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                read += n;
                if (read > size) {
                    throw changed(input);
                }
                try {
                    consumer.accept(buffer, n);
                } catch (IOException e) {
                    throw new ConsumerFailure(e);
                }
            }
        } catch (IOException e) {
            throw FerryException.usage(input.source() + ": cannot read: " + e.getMessage());
        }
        if (read != size) {
            throw changed(input);
        }
    }

    /** The consumer's own failure (writing the bundle), kept apart from failures to read the input. */
    static final class ConsumerFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ConsumerFailure(IOException cause) {
            super(cause);
        }

        @Override
        public synchronized IOException getCause() {
            return (IOException) super.getCause();
        }
    }

    private static String result(Future<String> hash) {
        try {
            return hash.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while hashing the input", e);
        }
    }

    static FerryException changed(PayloadFile input) {
        return FerryException.usage(
                input.source() + ": changed while being packed; build again when nothing writes to it");
    }
}
