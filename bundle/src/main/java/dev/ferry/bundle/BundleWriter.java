package dev.ferry.bundle;

import com.github.luben.zstd.ZstdOutputStreamNoFinalizer;
import dev.ferry.common.FerryException;
import dev.ferry.common.Progress;
import dev.ferry.keys.Signer;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Writes a {@code ferry-bundle/1} file, streaming, in bounded memory.
 *
 * <p>The manifest (with every hash) must come first, so the input is read twice, as a shell script would: first
 * every file's SHA-256 on every core ({@link InputFiles}); then the final file is written front to back, one zstd
 * frame holding {@code manifest.json} and the signatures (a tar that is not finished, so no end blocks), then one
 * frame holding the payload entries and the end blocks, the bundle's own SHA-256 taken as the bytes go out.
 * Concatenated zstd frames decode as the concatenated tar, which {@code zstd -dc | tar -x} and the verifier read as
 * one archive. A file that changes between the two reads is refused ({@link InputFiles} says how that is seen).
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
    private static final int IO_BUFFER = InputFiles.IO_BUFFER;

    private final int zstdLevel;
    private final int workers;
    /** For a delta bundle: what the base release holds already; null for a full bundle. */
    private final DeltaPlan delta;

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
        this.delta = null;
    }

    private BundleWriter(BundleWriter settings, DeltaPlan delta) {
        this.zstdLevel = settings.zstdLevel;
        this.workers = settings.workers;
        this.delta = delta;
    }

    /**
     * A writer of delta bundles against {@code base} (SPEC section 11): the manifest still lists every file; those the
     * base release holds byte for byte are marked {@code from: base} and stay out of the payload.
     */
    public BundleWriter against(DeltaPlan base) {
        return new BundleWriter(this, base);
    }

    /** The default level, one worker per core. */
    public static BundleWriter withDefaults() {
        return new BundleWriter(DEFAULT_LEVEL, Math.max(1, Runtime.getRuntime().availableProcessors()));
    }

    /**
     * @return the bundle {@code outDir/NAME-VERSION.bundle.tar.zst}, replacing one of the same name
     * @throws FerryException USAGE for bad input (unsafe path, unreadable file, a file that changes while read)
     */
    public WrittenBundle write(BundleSpec spec, List<? extends Signer> signers, Path outDir) {
        return write(spec, signers, outDir, Progress.NONE);
    }

    /** @param progress told the payload's total size, then every payload byte packed */
    public WrittenBundle write(BundleSpec spec, List<? extends Signer> signers, Path outDir, Progress progress) {
        return write(spec, signers, List.of(), outDir, progress, DerivedFiles.NONE);
    }

    /** @param derive adds files made from the hashed inputs (the SBOM, the provenance) before anything is written */
    public WrittenBundle write(
            BundleSpec spec, List<? extends Signer> signers, Path outDir, Progress progress, DerivedFiles derive) {
        return write(spec, signers, List.of(), outDir, progress, derive);
    }

    /** @param carried trust documents to carry as {@code trust/VERSION.trust.json} entries (SPEC section 10), oldest first */
    public WrittenBundle write(
            BundleSpec spec,
            List<? extends Signer> signers,
            List<CarriedTrust> carried,
            Path outDir,
            Progress progress) {
        return write(spec, signers, carried, outDir, progress, DerivedFiles.NONE);
    }

    /**
     * @param carried trust documents to carry (SPEC section 10), oldest first
     * @param derive adds files made from the hashed inputs (the SBOM, the provenance) before anything is written
     */
    public WrittenBundle write(
            BundleSpec spec,
            List<? extends Signer> signers,
            List<CarriedTrust> carried,
            Path outDir,
            Progress progress,
            DerivedFiles derive) {
        if (signers.isEmpty()) {
            throw FerryException.usage("no signing key: a bundle must be signed");
        }
        List<PayloadFile> files = new ArrayList<>(spec.files());
        files.sort(Comparator.comparing(PayloadFile::path, PayloadPaths.ORDER));
        // Wall-clock on purpose: compared with the files' own timestamps, which the same clock wrote.
        Instant firstRead = Instant.now();
        List<FileStamp> stamps = InputFiles.stat(files);
        String fileName = BundleLayout.fileName(spec.name(), spec.version());
        Path target = outDir.resolve(fileName);
        TreeMap<String, Signer> keys = new TreeMap<>();
        signers.forEach(k -> keys.put(k.keyId(), k));
        boolean bindsSecrets = files.stream().anyMatch(f -> BundleLayout.isSecret(f.path()));
        // The draft is checked with a placeholder key: a signer (an HSM) is asked for nothing a refused spec needs.
        List<DerivedFiles.DerivedFile> placeholderKey =
                bindsSecrets ? List.of(bindingKeyFile(new byte[BindingKey.BYTES])) : List.of();
        // The hashing starts at once, on every core, and the spec is checked meanwhile on this thread: a refused spec
        // stops it, and is reported before anything the hashing found.
        InputFiles.Hashing hashing = InputFiles.sha256(files, stamps, workers);
        Path partial = null;
        try (hashing;
                DerivedPayload derived = new DerivedPayload()) {
            checkSpec(spec, files, stamps, placeholderKey, target.toString());
            progress.total(stamps.stream().mapToLong(FileStamp::size).sum()
                    + placeholderKey.stream()
                            .mapToLong(key -> key.content().length)
                            .sum());
            // The output before the hashes are taken: a folder that cannot be written is reported before anything the
            // input's reading found, and before the input's second read.
            Files.createDirectories(outDir);
            partial = Files.createTempFile(outDir, "." + fileName + ".", ".tmp");
            DerivedPayload.Inputs hashed = derived.add(
                    read -> bindsSecrets
                            ? List.of(bindingKeyFile(
                                    BindingKey.derive(keys.firstEntry().getValue(), spec, secrets(read))))
                            : List.of(),
                    new DerivedPayload.Inputs(files, stamps, entries(files, stamps, hashing.join())),
                    outDir,
                    fileName);
            DerivedPayload.Inputs inputs = derived.add(derive, hashed, outDir, fileName);
            files = inputs.files();
            stamps = inputs.stamps();
            List<FileEntry> entries = inputs.entries();
            if (delta != null) {
                entries = delta.mark(entries);
            }
            // The payload is packed (and racy files re-checked) against the SHA-256s; the manifest lists secrets
            // sealed.
            Manifest manifest = manifest(spec, sealSecrets(entries), delta);
            ManifestCodec.Problem problem = ManifestCodec.problem(manifest);
            if (problem != null) {
                throw cannotBuild(target.toString(), problem.what());
            }
            byte[] manifestBytes = ManifestCodec.encode(manifest);
            if (manifestBytes.length > BundleLayout.MAX_MANIFEST_BYTES) {
                throw cannotBuild(
                        target.toString(),
                        "the manifest would be larger than " + BundleLayout.MAX_MANIFEST_BYTES
                                + " bytes (too many files?)");
            }
            MessageDigest whole = Sha256.digest();
            try (OutputStream out = new DigestOutputStream(
                    new BufferedOutputStream(Files.newOutputStream(partial), IO_BUFFER), whole)) {
                writeHead(out, manifestBytes, keys, carried, spec.createdAt());
                writePayload(entries, files, stamps, firstRead, spec.createdAt(), out, progress);
            }
            InputFiles.requireUnchanged(files, stamps);
            move(partial, target);
            partial = null;
            return new WrittenBundle(
                    target, Files.size(target), Sha256.hex(whole), manifest, List.copyOf(keys.keySet()));
        } catch (IOException e) {
            throw cannotWrite(outDir, e);
        } catch (InputFiles.ConsumerFailure e) {
            throw cannotWrite(outDir, e.getCause());
        } finally {
            deleteQuietly(partial);
        }
    }

    private static FerryException cannotWrite(Path outDir, IOException e) {
        return FerryException.usage(outDir + ": cannot write the bundle: " + e.getMessage());
    }

    /**
     * Everything the verifier will check, before reading a byte: the draft manifest (placeholder hashes of the same
     * length) against the decoder's own rules, so the writer cannot produce what the verifier refuses. Its size limit
     * is checked once the real manifest is encoded, before anything is written: the hashes do not change its length.
     */
    private void checkSpec(
            BundleSpec spec,
            List<PayloadFile> files,
            List<FileStamp> stamps,
            List<DerivedFiles.DerivedFile> bindingKey,
            String target) {
        String placeholder = "0".repeat(64);
        List<FileEntry> draft = new ArrayList<>();
        List<FileEntry> inputs =
                new ArrayList<>(entries(files, stamps, Collections.nCopies(files.size(), placeholder)));
        bindingKey.forEach(key -> inputs.add(key.entry(placeholder)));
        inputs.sort(Comparator.comparing(FileEntry::path, PayloadPaths.ORDER));
        for (FileEntry entry : inputs) {
            if (BundleLayout.isSecret(entry.path()) && entry.size() > SecretDigest.MAX_SECRET_BYTES) {
                throw cannotBuild(
                        target,
                        entry.path() + " is " + entry.size() + " bytes: a secret may have at most "
                                + SecretDigest.MAX_SECRET_BYTES);
            }
            draft.add(BundleLayout.isSecret(entry.path()) ? sealed(entry, placeholder) : entry);
        }
        ManifestCodec.Problem problem = ManifestCodec.problem(manifest(spec, draft, delta));
        if (problem != null) {
            throw cannotBuild(target, problem.what());
        }
    }

    /** The binding key ({@link BindingKey}) as the file to add to the secrets it binds. */
    private static DerivedFiles.DerivedFile bindingKeyFile(byte[] key) {
        return new DerivedFiles.DerivedFile(BundleLayout.BINDING_KEY, key, PayloadPaths.SECRET_MODE);
    }

    /** The hashed secrets among the inputs, in the manifest's order: what the binding key binds. */
    private static List<FileEntry> secrets(List<DerivedFiles.HashedFile> hashed) {
        return hashed.stream()
                .map(DerivedFiles.HashedFile::entry)
                .filter(e -> BundleLayout.isSecret(e.path()))
                .toList();
    }

    /**
     * The entries as the manifest lists them: each secret's size and SHA-256 replaced by its HMAC under the binding
     * key (SPEC section 2, {@link SecretDigest#HMAC}); the binding key itself listed with nothing of its own.
     */
    private static List<FileEntry> sealSecrets(List<FileEntry> entries) {
        String keySha256 = entries.stream()
                .filter(e -> e.path().equals(BundleLayout.BINDING_KEY))
                .map(FileEntry::sha256)
                .findFirst()
                .orElse(null);
        return entries.stream()
                .map(e -> BundleLayout.isSecret(e.path()) ? sealed(e, keySha256) : e)
                .toList();
    }

    private static FileEntry sealed(FileEntry entry, String keySha256) {
        return FileEntry.secret(
                entry.path(),
                entry.mode(),
                entry.path().equals(BundleLayout.BINDING_KEY)
                        ? SecretDigest.BINDING_KEY
                        : SecretDigest.hmac(keySha256, entry.path(), entry.sha256()));
    }

    /** The manifest's files: each input's bundle path, size (as stamped) and mode, with its SHA-256. */
    private static List<FileEntry> entries(List<PayloadFile> files, List<FileStamp> stamps, List<String> sha256) {
        List<FileEntry> entries = new ArrayList<>(files.size());
        for (int i = 0; i < files.size(); i++) {
            entries.add(new FileEntry(
                    files.get(i).path(),
                    stamps.get(i).size(),
                    sha256.get(i),
                    files.get(i).mode()));
        }
        return entries;
    }

    private static FerryException cannotBuild(String target, String problem) {
        return FerryException.usage(target + ": cannot build: " + problem);
    }

    private static Manifest manifest(BundleSpec spec, List<FileEntry> files, DeltaPlan delta) {
        return new Manifest(
                Manifest.FORMAT,
                spec.name(),
                spec.version(),
                spec.sequence(),
                spec.createdAt(),
                spec.expiresAt(),
                spec.profile(),
                spec.token(),
                List.copyOf(files),
                delta == null ? null : delta.base());
    }

    private ZstdOutputStreamNoFinalizer zstd(OutputStream out) throws IOException {
        ZstdOutputStreamNoFinalizer zstd;
        try {
            zstd = new ZstdOutputStreamNoFinalizer(out, zstdLevel);
        } catch (LinkageError e) {
            // Writing needs the native library (reading has a pure-Java fallback); it is unpacked into the temp folder.
            throw FerryException.usage("cannot load zstd's native library from " + System.getProperty("java.io.tmpdir")
                    + " (mounted noexec?): give an executable folder with FERRY_JAVA_OPTS=-DZstdTempFolder=DIR");
        }
        zstd.setWorkers(workers);
        zstd.setChecksum(true);
        return zstd;
    }

    /**
     * The payload frame: every file's entry, read a second time, then the tar's end blocks. A file stamped close to
     * the first read is hashed again on the way and must match ({@link InputFiles}).
     */
    private void writePayload(
            List<FileEntry> entries,
            List<PayloadFile> files,
            List<FileStamp> stamps,
            Instant firstRead,
            Instant mtime,
            OutputStream out,
            Progress progress)
            throws IOException {
        byte[] buffer = new byte[IO_BUFFER];
        try (ZstdOutputStreamNoFinalizer zstd = zstd(out)) {
            // Headers and padding come in 512-byte records; without this buffer each one is a JNI call into zstd.
            // Data comes in 1 MiB pieces, which pass straight through.
            OutputStream records = new BufferedOutputStream(zstd, IO_BUFFER);
            PayloadTar tar = new PayloadTar(records);
            for (int i = 0; i < files.size(); i++) {
                PayloadFile input = files.get(i);
                FileEntry entry = entries.get(i);
                if (entry.fromBase()) {
                    continue;
                }
                tar.begin(
                        TarEntries.regularFile(entry.path(), entry.size(), PayloadPaths.modeBits(entry.mode()), mtime));
                MessageDigest again = stamps.get(i).racy(firstRead) ? Sha256.digest() : null;
                InputFiles.read(input, entry.size(), buffer, (b, n) -> {
                    if (again != null) {
                        again.update(b, 0, n);
                    }
                    tar.write(b, 0, n);
                    progress.advance(n);
                });
                if (again != null && !Sha256.hex(again).equals(entry.sha256())) {
                    throw InputFiles.changed(input);
                }
                tar.end();
            }
            tar.finish();
            records.flush();
        }
    }

    private void writeHead(
            OutputStream out, byte[] manifestBytes, Map<String, Signer> keys, List<CarriedTrust> carried, Instant mtime)
            throws IOException {
        // Ed25519 hashes the whole manifest twice with SHA-512 (megabytes for a large runtime, in code the JIT has not
        // compiled yet): the signatures are made on another thread while the manifest entry is compressed.
        Map<String, CompletableFuture<byte[]>> signatures = new TreeMap<>();
        keys.forEach((id, key) -> signatures.put(id, OffThread.start("signature", () -> key.sign(manifestBytes))));
        ZstdOutputStreamNoFinalizer zstd = zstd(out);
        // Unbuffered on purpose: measured, a buffer here changes the head frame's compressed bytes, and so every
        // bundle's bytes.
        TarArchiveOutputStream tar = TarEntries.open(zstd);
        TarEntries.writeSmallFile(tar, BundleLayout.MANIFEST, manifestBytes, 0644, mtime);
        for (Map.Entry<String, CompletableFuture<byte[]>> signature : signatures.entrySet()) {
            TarEntries.writeSmallFile(
                    tar,
                    BundleLayout.signaturePath(signature.getKey()),
                    OffThread.join(signature.getValue()),
                    0644,
                    mtime);
        }
        for (CarriedTrust trust : carried) {
            TarEntries.writeSmallFile(tar, trust.entryName(), trust.bytes(), 0644, mtime);
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
