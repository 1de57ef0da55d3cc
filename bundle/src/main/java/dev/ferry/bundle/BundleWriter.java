package dev.ferry.bundle;

import com.github.luben.zstd.ZstdOutputStreamNoFinalizer;
import dev.ferry.common.FerryException;
import dev.ferry.keys.SigningKey;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Writes a {@code ferry-bundle/1} file, streaming, reading each input file once.
 *
 * <p>The manifest (with every hash) must come first, but hashes are known only after reading. So the payload tar
 * (entries and the two end blocks) is compressed into a temporary zstd frame next to the output while each file is
 * hashed; then the final file is one zstd frame holding {@code manifest.json} and the signatures (a tar that is not
 * finished, so no end blocks), followed by the payload frame's bytes. Concatenated zstd frames decode as the
 * concatenated tar, which {@code zstd -dc | tar -x} and the verifier read as one archive.
 *
 * <p>Reproducible: mtime = createdAt (whole seconds), uid/gid 0 with empty names, entries sorted by path, the same
 * zstd level, and always at least one zstd worker: zstd's multi-threaded output depends on the level and not on the
 * number of workers, so a bundle does not depend on the build machine's cores. Ed25519 signatures are
 * deterministic. Folders are not entries: an empty folder of the input is not carried.
 *
 * <p>zstd-jni extracts its native library to the JVM's temp folder on first use.
 */
public final class BundleWriter {
    /**
     * zstd's own default. Measured on 300 MB of mixed input with 2 workers: level 3 writes at ~190 MB/s, level 9 at
     * ~19 MB/s for a bundle only 4% smaller. Changing it changes every bundle's bytes: keep it fixed.
     */
    public static final int DEFAULT_LEVEL = 3;

    /** Reads, writes and hand-overs to zstd in 1 MiB pieces: few system and JNI calls, bounded memory. */
    private static final int IO_BUFFER = 1 << 20;

    private final int zstdLevel;
    private final int workers;

    /**
     * @param zstdLevel 1..19 (part of what makes a bundle reproducible: keep it fixed)
     * @param workers compression threads, at least 1; does not change the output
     */
    public BundleWriter(int zstdLevel, int workers) {
        if (zstdLevel < 1 || zstdLevel > 19) {
            throw new IllegalArgumentException("zstd level must be 1..19: " + zstdLevel);
        }
        if (workers < 1) {
            throw new IllegalArgumentException("at least one zstd worker, so output does not depend on it: " + workers);
        }
        this.zstdLevel = zstdLevel;
        this.workers = workers;
    }

    /** The default level, one worker per core. */
    public static BundleWriter withDefaults() {
        return new BundleWriter(DEFAULT_LEVEL, Math.max(1, Runtime.getRuntime().availableProcessors()));
    }

    /**
     * @return the bundle {@code outDir/NAME-VERSION.bundle.tar.zst}, replacing one of the same name
     * @throws FerryException USAGE for bad input (unsafe path, unreadable file, a file that changes while read)
     */
    public WrittenBundle write(BundleSpec spec, List<SigningKey> signers, Path outDir) {
        if (signers.isEmpty()) {
            throw FerryException.usage("no signing key: a bundle must be signed");
        }
        List<PayloadFile> files = new ArrayList<>(spec.files());
        files.sort(Comparator.comparing(PayloadFile::path, PayloadPaths.ORDER));
        List<Long> sizes = statAll(files);
        String fileName = BundleLayout.fileName(spec.name(), spec.version());
        checkSpec(spec, files, sizes, outDir.resolve(fileName).toString());
        Map<String, SigningKey> keys = new TreeMap<>();
        signers.forEach(k -> keys.put(k.keyId(), k));

        Path payload = null;
        Path partial = null;
        try {
            Files.createDirectories(outDir);
            payload = Files.createTempFile(outDir, "." + fileName + ".", ".payload.tmp");
            List<FileEntry> entries = writePayload(files, sizes, spec.createdAt(), payload);
            Manifest manifest = manifest(spec, entries);
            byte[] manifestBytes = ManifestCodec.encode(manifest);
            partial = Files.createTempFile(outDir, "." + fileName + ".", ".tmp");
            String sha256 = assemble(manifestBytes, keys, spec.createdAt(), payload, partial);
            Path target = outDir.resolve(fileName);
            move(partial, target);
            partial = null;
            return new WrittenBundle(target, Files.size(target), sha256, manifest, List.copyOf(keys.keySet()));
        } catch (IOException e) {
            throw FerryException.usage(outDir + ": cannot write the bundle: " + e.getMessage());
        } finally {
            deleteQuietly(payload);
            deleteQuietly(partial);
        }
    }

    private static List<Long> statAll(List<PayloadFile> files) {
        List<Long> sizes = new ArrayList<>(files.size());
        for (PayloadFile file : files) {
            try {
                BasicFileAttributes attrs = Files.readAttributes(file.source(), BasicFileAttributes.class);
                if (!attrs.isRegularFile()) {
                    throw FerryException.usage(file.source() + ": not a regular file (for " + file.path() + ")");
                }
                sizes.add(attrs.size());
            } catch (IOException e) {
                throw FerryException.usage(file.source() + ": cannot read: " + e.getMessage());
            }
        }
        return sizes;
    }

    /**
     * Everything the verifier will check, before reading a byte: the manifest with placeholder hashes goes through
     * the strict decoder, so the writer cannot produce what the verifier refuses.
     */
    private static void checkSpec(BundleSpec spec, List<PayloadFile> files, List<Long> sizes, String target) {
        List<FileEntry> draft = new ArrayList<>(files.size());
        for (int i = 0; i < files.size(); i++) {
            draft.add(new FileEntry(files.get(i).path(), sizes.get(i), "0".repeat(64), files.get(i).mode()));
        }
        try {
            ManifestCodec.decode(ManifestCodec.encode(manifest(spec, draft)), target);
        } catch (FerryException e) {
            throw FerryException.usage(e.getMessage().replace(target + ": manifest.json: ", target + ": cannot build: "));
        }
    }

    private static Manifest manifest(BundleSpec spec, List<FileEntry> files) {
        return new Manifest(Manifest.FORMAT, spec.name(), spec.version(), spec.sequence(), spec.createdAt(),
                spec.expiresAt(), spec.profile(), spec.token(), List.copyOf(files));
    }

    private ZstdOutputStreamNoFinalizer zstd(OutputStream out) throws IOException {
        ZstdOutputStreamNoFinalizer zstd = new ZstdOutputStreamNoFinalizer(out, zstdLevel);
        zstd.setWorkers(workers);
        zstd.setChecksum(true);
        return zstd;
    }

    private List<FileEntry> writePayload(List<PayloadFile> files, List<Long> sizes, Instant mtime, Path payload) throws IOException {
        List<FileEntry> entries = new ArrayList<>(files.size());
        byte[] buffer = new byte[IO_BUFFER];
        try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(payload), IO_BUFFER);
                ZstdOutputStreamNoFinalizer zstd = zstd(file)) {
            // The tar stream writes 512-byte records; without this buffer each one is a JNI call into zstd.
            OutputStream records = new BufferedOutputStream(zstd, IO_BUFFER);
            // Not closed: closing the tar would close zstd and the file before the frame ends cleanly.
            TarArchiveOutputStream tar = TarEntries.open(records);
            for (int i = 0; i < files.size(); i++) {
                PayloadFile input = files.get(i);
                long size = sizes.get(i);
                tar.putArchiveEntry(TarEntries.regularFile(input.path(), size, PayloadPaths.modeBits(input.mode()), mtime));
                String sha256 = copyHashing(input, size, tar, buffer);
                tar.closeArchiveEntry();
                entries.add(new FileEntry(input.path(), size, sha256, input.mode()));
            }
            tar.finish();
            records.flush();
        }
        return entries;
    }

    private static String copyHashing(PayloadFile input, long size, OutputStream out, byte[] buffer) {
        MessageDigest sha256 = Sha256.digest();
        long read = 0;
        try (InputStream in = new FileInputStream(input.source().toFile())) {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                if (read + n > size) {
                    throw changed(input, size);
                }
                sha256.update(buffer, 0, n);
                out.write(buffer, 0, n);
                read += n;
            }
        } catch (IOException e) {
            throw FerryException.usage(input.source() + ": cannot read: " + e.getMessage());
        }
        if (read != size) {
            throw changed(input, size);
        }
        return Sha256.hex(sha256);
    }

    /**
     * The final file: the head frame, then the payload frame's bytes copied by the kernel, flushed to disk. The
     * bundle's SHA-256 needs those bytes in order, so the payload frame is hashed on another core meanwhile.
     *
     * @return the SHA-256 of the whole file
     */
    private String assemble(byte[] manifestBytes, Map<String, SigningKey> keys, Instant mtime, Path payload, Path partial)
            throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        writeHead(head, manifestBytes, keys, mtime);
        MessageDigest whole = Sha256.digest();
        whole.update(head.toByteArray());
        CompletableFuture<Void> hashed = CompletableFuture.runAsync(() -> hashFile(payload, whole));
        try (FileChannel out = FileChannel.open(partial, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
                FileChannel in = FileChannel.open(payload, StandardOpenOption.READ)) {
            head.writeTo(Channels.newOutputStream(out));
            long size = in.size();
            for (long done = 0; done < size; ) {
                done += in.transferTo(done, size - done, out);
            }
            out.force(true);
        }
        try {
            hashed.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof UncheckedIOException u ? u.getCause() : new IOException(e.getCause());
        }
        return Sha256.hex(whole);
    }

    private static void hashFile(Path file, MessageDigest digest) {
        byte[] buffer = new byte[IO_BUFFER];
        try (InputStream in = new FileInputStream(file.toFile())) {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                digest.update(buffer, 0, n);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static FerryException changed(PayloadFile input, long size) {
        return FerryException.usage(input.source() + ": changed while being packed (it was " + size
                + " bytes when the build started); build again when nothing writes to it");
    }

    private void writeHead(OutputStream out, byte[] manifestBytes, Map<String, SigningKey> keys, Instant mtime) throws IOException {
        ZstdOutputStreamNoFinalizer zstd = zstd(out);
        TarArchiveOutputStream tar = TarEntries.open(zstd);
        TarEntries.writeSmallFile(tar, BundleLayout.MANIFEST, manifestBytes, 0644, mtime);
        for (SigningKey key : keys.values()) {
            TarEntries.writeSmallFile(tar, BundleLayout.signaturePath(key.keyId()), key.sign(manifestBytes), 0644, mtime);
        }
        // Not finished: the end blocks come after the payload, in the next frame.
        tar.flush();
        zstd.closeWithoutClosingParentStream();
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void deleteQuietly(Path path) {
        if (path != null) {
            try {
                Files.deleteIfExists(path);
            } catch (IOException ignored) {
                // A leftover hidden temp file is harmless; the real error is already on its way.
            }
        }
    }
}
