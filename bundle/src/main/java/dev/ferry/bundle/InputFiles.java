package dev.ferry.bundle;

import dev.ferry.common.FerryException;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

/**
 * The writer's input files: what each looked like before it was read (so a file that changes while the bundle is
 * made is refused, not packed half old and half new) and every file's SHA-256, computed on every core.
 */
final class InputFiles {
    /** Reads in 1 MiB pieces: few system calls, bounded memory (one buffer per thread). */
    static final int IO_BUFFER = 1 << 20;

    /** What {@code stat} says about a file; the same stamp before and after reading means it did not change. */
    record Stamp(long size, FileTime modified, Object fileKey) {}

    private InputFiles() {}

    /** @throws FerryException USAGE for a file that is missing, unreadable or not a regular file */
    static List<Stamp> stat(List<PayloadFile> files) {
        List<Stamp> stamps = new ArrayList<>(files.size());
        for (PayloadFile file : files) {
            stamps.add(stamp(file));
        }
        return stamps;
    }

    private static Stamp stamp(PayloadFile file) {
        try {
            BasicFileAttributes attrs = Files.readAttributes(file.source(), BasicFileAttributes.class);
            if (!attrs.isRegularFile()) {
                throw FerryException.usage(file.source() + ": not a regular file (for " + file.path() + ")");
            }
            return new Stamp(attrs.size(), attrs.lastModifiedTime(), attrs.fileKey());
        } catch (IOException e) {
            throw FerryException.usage(file.source() + ": cannot read: " + e.getMessage());
        }
    }

    /** @throws FerryException USAGE naming the first file whose stamp is not what it was */
    static void requireUnchanged(List<PayloadFile> files, List<Stamp> before) {
        for (int i = 0; i < files.size(); i++) {
            if (!stamp(files.get(i)).equals(before.get(i))) {
                throw changed(files.get(i), before.get(i).size());
            }
        }
    }

    /**
     * Every file's SHA-256 (lowercase hex, in the order of {@code files}), on {@code threads} threads. The largest
     * files start first, so one big file does not finish alone at the end.
     */
    static List<String> sha256(List<PayloadFile> files, List<Stamp> stamps, int threads) {
        ExecutorService pool = Executors.newFixedThreadPool(threads, task -> {
            Thread thread = new Thread(task, "ferry-hash");
            thread.setDaemon(true);
            return thread;
        });
        ThreadLocal<byte[]> buffers = ThreadLocal.withInitial(() -> new byte[IO_BUFFER]);
        try {
            List<Integer> largestFirst = IntStream.range(0, files.size()).boxed()
                    .sorted(Comparator.comparingLong((Integer i) -> stamps.get(i).size()).reversed()).toList();
            List<Future<String>> hashes = new ArrayList<>(Collections.nCopies(files.size(), null));
            for (int i : largestFirst) {
                hashes.set(i, pool.submit(() -> sha256(files.get(i), stamps.get(i).size(), buffers.get())));
            }
            List<String> hex = new ArrayList<>(files.size());
            for (Future<String> hash : hashes) {
                hex.add(result(hash));
            }
            return hex;
        } finally {
            pool.shutdownNow();
        }
    }

    private static String sha256(PayloadFile input, long size, byte[] buffer) {
        MessageDigest sha256 = Sha256.digest();
        long read = 0;
        try (InputStream in = new FileInputStream(input.source().toFile())) {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                read += n;
                if (read > size) {
                    throw changed(input, size);
                }
                sha256.update(buffer, 0, n);
            }
        } catch (IOException e) {
            throw FerryException.usage(input.source() + ": cannot read: " + e.getMessage());
        }
        if (read != size) {
            throw changed(input, size);
        }
        return Sha256.hex(sha256);
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

    static FerryException changed(PayloadFile input, long size) {
        return FerryException.usage(input.source() + ": changed while being packed (it was " + size
                + " bytes when the build started); build again when nothing writes to it");
    }
}
