package dev.ferry.bundle.hostile;

import dev.ferry.bundle.BundleLayout;
import dev.ferry.bundle.FileEntry;
import dev.ferry.bundle.Manifest;
import dev.ferry.bundle.ManifestCodec;
import dev.ferry.bundle.PayloadPaths;
import dev.ferry.bundle.TokenInfo;
import dev.ferry.bundle.testing.RawBundleWriter;
import dev.ferry.keys.SigningKey;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * A genuine bundle taken apart (its manifest and payload files, in memory: test bundles are small) so that hostile
 * variants can be reassembled from it, each re-signed by the trusted key: then only the content checks stand in
 * the way. {@link #rebuild()} without a twist must verify, which proves the reassembly itself adds no fault.
 */
public final class GenuineBundle {
    /** One payload file: what the manifest says and its bytes. */
    public record Entry(FileEntry file, byte[] content) {
        public String path() {
            return file.path();
        }

        public int mode() {
            return PayloadPaths.modeBits(file.mode());
        }
    }

    private final Manifest manifest;
    private final List<Entry> entries;
    private final SigningKey trusted;

    private GenuineBundle(Manifest manifest, List<Entry> entries, SigningKey trusted) {
        this.manifest = manifest;
        this.entries = List.copyOf(entries);
        this.trusted = trusted;
    }

    /** Reads {@code bundle} (written by BundleWriter, signed by {@code trusted}) with a general-purpose tar reader. */
    public static GenuineBundle read(Path bundle, SigningKey trusted) {
        byte[] tar = RawBundleWriter.decompress(bundle);
        Manifest manifest = null;
        List<Entry> entries = new ArrayList<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar), "UTF-8")) {
            for (TarArchiveEntry e; (e = in.getNextEntry()) != null; ) {
                byte[] content = in.readAllBytes();
                if (e.getName().equals(BundleLayout.MANIFEST)) {
                    manifest = ManifestCodec.decode(content, bundle.toString());
                } else if (e.getName().startsWith(BundleLayout.PAYLOAD)) {
                    entries.add(new Entry(null, content));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (manifest == null || manifest.files().size() != entries.size() || entries.size() < 2) {
            throw new IllegalArgumentException(bundle + ": not a genuine bundle with at least two payload files");
        }
        List<Entry> withFiles = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            withFiles.add(new Entry(manifest.files().get(i), entries.get(i).content()));
        }
        return new GenuineBundle(manifest, withFiles, trusted);
    }

    public Manifest manifest() {
        return manifest;
    }

    public List<Entry> entries() {
        return entries;
    }

    public Entry entry(int index) {
        return entries.get(index);
    }

    public SigningKey trusted() {
        return trusted;
    }

    /** The genuine manifest, re-encoded and signed by the trusted key. */
    public RawBundleWriter head() {
        return head(manifest);
    }

    /** {@code m} encoded and signed by the trusted key. */
    public RawBundleWriter head(Manifest m) {
        return signedBytes(ManifestCodec.encode(m));
    }

    /** Exactly these manifest bytes (valid or not), signed by the trusted key. */
    public RawBundleWriter signedBytes(byte[] manifestJson) {
        return RawBundleWriter.create().manifest(manifestJson).signature(trusted.keyId(), trusted.sign(manifestJson));
    }

    /** Every genuine payload entry, in order. */
    public RawBundleWriter payload(RawBundleWriter raw) {
        return payload(raw, Map.of());
    }

    /** The genuine payload entries, except that an entry whose path is a key is written by that key's writer. */
    public RawBundleWriter payload(RawBundleWriter raw, Map<String, Consumer<RawBundleWriter>> instead) {
        for (Entry e : entries) {
            Consumer<RawBundleWriter> custom = instead.get(e.path());
            if (custom != null) {
                custom.accept(raw);
            } else {
                raw.file(e.path(), e.content(), e.mode());
            }
        }
        return raw;
    }

    /** The genuine bundle reassembled: head, payload, end blocks. It must verify. */
    public RawBundleWriter rebuild() {
        return payload(head()).endOfArchive();
    }

    // Manifest variants: the record has no withers, and every hostile manifest starts from the genuine one.

    public Manifest withFiles(List<FileEntry> files) {
        Manifest m = manifest;
        return new Manifest(
                m.format(),
                m.name(),
                m.version(),
                m.sequence(),
                m.createdAt(),
                m.expiresAt(),
                m.profile(),
                m.token(),
                files);
    }

    /** The genuine files plus {@code extra}, kept in the order the verifier expects. */
    public Manifest withExtraFile(FileEntry extra) {
        List<FileEntry> files = new ArrayList<>(manifest.files());
        files.add(extra);
        files.sort(Comparator.comparing(FileEntry::path, PayloadPaths.ORDER));
        return withFiles(files);
    }

    public Manifest withSequence(long sequence) {
        Manifest m = manifest;
        return new Manifest(
                m.format(),
                m.name(),
                m.version(),
                sequence,
                m.createdAt(),
                m.expiresAt(),
                m.profile(),
                m.token(),
                m.files());
    }

    public Manifest withDates(Instant createdAt, Instant expiresAt) {
        Manifest m = manifest;
        return new Manifest(
                m.format(),
                m.name(),
                m.version(),
                m.sequence(),
                createdAt,
                expiresAt,
                m.profile(),
                m.token(),
                m.files());
    }

    public Manifest withToken(TokenInfo token) {
        Manifest m = manifest;
        return new Manifest(
                m.format(),
                m.name(),
                m.version(),
                m.sequence(),
                m.createdAt(),
                m.expiresAt(),
                m.profile(),
                token,
                m.files());
    }
}
