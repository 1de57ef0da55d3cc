package dev.ferry.bundle;

import com.github.luben.zstd.ZstdOutputStreamNoFinalizer;
import dev.ferry.common.FerryException;
import dev.ferry.common.Progress;
import dev.ferry.keys.Signer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Changes what a bundle carries beside its manifest without rebuilding it (SPEC section 10): {@code bundler sign}
 * adds a signature, {@code create --trust-chain} adds trust documents. The writer puts the manifest, the signatures
 * and the trust entries in a zstd frame of their own; only that first frame is written again. The manifest bytes
 * and the payload frame are copied unchanged, so every signature already made stays valid.
 *
 * <p>The first frame is only replaced when it holds exactly what the verifier reads from it (decoded and compared
 * entry by entry after re-encoding), so nothing the head carried can be lost on the way.
 */
public final class BundleHeads {
    /** A head is a manifest (at most 4 MiB), signatures and trust documents: far below this, even compressed. */
    private static final long MAX_HEAD_FRAME = 64L * 1024 * 1024;

    /** What the head now holds. */
    public record Head(
            Manifest manifest, List<String> signerKeyIds, List<Long> trustVersions, long size, String sha256) {}

    private BundleHeads() {}

    /** Adds (or renews) {@code signer}'s signature; written to {@code out}, which may be {@code bundle} itself. */
    public static Head sign(Path bundle, Signer signer, Path out) {
        return rewrite(bundle, out, (manifest, signatures, trust) -> {
            signatures.put(signer.keyId(), signer.sign(manifest));
        });
    }

    /** Carries {@code documents} as {@code trust/VERSION.trust.json} entries, replacing any the head carried. */
    public static Head carry(Path bundle, List<CarriedTrust> documents) {
        return rewrite(bundle, bundle, (manifest, signatures, trust) -> {
            trust.clear();
            trust.addAll(documents);
        });
    }

    private interface Change {
        void apply(byte[] manifest, Map<String, byte[]> signatures, List<CarriedTrust> trust);
    }

    private static Head rewrite(Path bundle, Path out, Change change) {
        String source = bundle.toString();
        BundleHead head = readHead(bundle, source);
        Manifest manifest = ManifestCodec.decode(head.manifestBytes(), source);
        try {
            byte[] frame = firstFrame(bundle, source);
            if (!Arrays.equals(
                    decompress(frame, source),
                    headTar(head.manifestBytes(), head.signatures(), head.trust(), manifest))) {
                throw FerryException.verification(
                        source + ": its first zstd frame is not the manifest, signatures and trust"
                                + " entries alone (not written by bundler create?): build it again to sign it");
            }
            Map<String, byte[]> signatures = new TreeMap<>(head.signatures());
            List<CarriedTrust> trust = new ArrayList<>(head.trust());
            change.apply(head.manifestBytes(), signatures, trust);
            byte[] newFrame = compress(headTar(head.manifestBytes(), signatures, trust, manifest));
            Path target = out.toAbsolutePath();
            Path partial = Files.createTempFile(target.getParent(), "." + target.getFileName() + ".", ".tmp");
            try {
                MessageDigest whole = Sha256.digest();
                try (OutputStream o = new DigestOutputStream(Files.newOutputStream(partial), whole);
                        InputStream in = Files.newInputStream(bundle)) {
                    o.write(newFrame);
                    in.skipNBytes(frame.length);
                    in.transferTo(o);
                }
                move(partial, target);
                return new Head(
                        manifest,
                        List.copyOf(signatures.keySet()),
                        trust.stream().map(CarriedTrust::version).toList(),
                        Files.size(target),
                        Sha256.hex(whole));
            } finally {
                Files.deleteIfExists(partial);
            }
        } catch (IOException e) {
            throw FerryException.usage(source + ": cannot rewrite: " + e.getMessage());
        }
    }

    private static BundleHead readHead(Path bundle, String source) {
        try (BundleInput in = BundleInput.open(bundle, Progress.NONE)) {
            return BundleHead.read(in.tar(), source);
        } catch (IOException e) {
            throw BundleInput.failure(source, e);
        }
    }

    /** The head's tar bytes exactly as the writer makes them (no end blocks: the payload frame continues the tar). */
    private static byte[] headTar(
            byte[] manifestBytes, Map<String, byte[]> signatures, List<CarriedTrust> trust, Manifest manifest)
            throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        TarArchiveOutputStream tar = TarEntries.open(bytes);
        TarEntries.writeSmallFile(tar, BundleLayout.MANIFEST, manifestBytes, 0644, manifest.createdAt());
        for (Map.Entry<String, byte[]> signature : new TreeMap<>(signatures).entrySet()) {
            TarEntries.writeSmallFile(
                    tar,
                    BundleLayout.signaturePath(signature.getKey()),
                    signature.getValue(),
                    0644,
                    manifest.createdAt());
        }
        for (CarriedTrust entry : trust) {
            TarEntries.writeSmallFile(tar, entry.entryName(), entry.bytes(), 0644, manifest.createdAt());
        }
        tar.flush();
        return bytes.toByteArray();
    }

    private static byte[] compress(byte[] tar) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZstdOutputStreamNoFinalizer zstd = new ZstdOutputStreamNoFinalizer(bytes, BundleWriter.DEFAULT_LEVEL)) {
            zstd.setChecksum(true);
            zstd.write(tar);
        }
        return bytes.toByteArray();
    }

    private static byte[] decompress(byte[] frame, String source) throws IOException {
        try (InputStream in = ZstdDecoders.open(new ByteArrayInputStream(frame))) {
            return in.readNBytes((int) MAX_HEAD_FRAME);
        }
    }

    /** The bytes of the file's first zstd frame, found by walking its frame and block headers (RFC 8878). */
    private static byte[] firstFrame(Path bundle, String source) throws IOException {
        try (InputStream in = Files.newInputStream(bundle)) {
            ByteArrayOutputStream frame = new ByteArrayOutputStream();
            byte[] magic = take(in, 4, frame, source);
            if ((magic[0] & 0xff) != 0x28
                    || (magic[1] & 0xff) != 0xb5
                    || (magic[2] & 0xff) != 0x2f
                    || (magic[3] & 0xff) != 0xfd) {
                throw FerryException.verification(source + ": not a zstd file");
            }
            int descriptor = take(in, 1, frame, source)[0] & 0xff;
            boolean singleSegment = (descriptor & 0x20) != 0;
            int dictionaryBytes = new int[] {0, 1, 2, 4}[descriptor & 0x03];
            int sizeFlag = descriptor >>> 6;
            int contentSizeBytes = sizeFlag == 0 ? (singleSegment ? 1 : 0) : new int[] {0, 2, 4, 8}[sizeFlag];
            take(in, (singleSegment ? 0 : 1) + dictionaryBytes + contentSizeBytes, frame, source);
            boolean last = false;
            while (!last) {
                byte[] block = take(in, 3, frame, source);
                int header = (block[0] & 0xff) | (block[1] & 0xff) << 8 | (block[2] & 0xff) << 16;
                last = (header & 1) != 0;
                int type = (header >>> 1) & 3;
                int size = header >>> 3;
                take(in, type == 1 ? 1 : size, frame, source);
                if (frame.size() > MAX_HEAD_FRAME) {
                    throw FerryException.verification(
                            source + ": its first zstd frame is larger than a bundle head can be");
                }
            }
            if ((descriptor & 0x04) != 0) {
                take(in, 4, frame, source);
            }
            return frame.toByteArray();
        }
    }

    private static byte[] take(InputStream in, int n, ByteArrayOutputStream copy, String source) throws IOException {
        byte[] bytes = in.readNBytes(n);
        if (bytes.length != n) {
            throw FerryException.verification(source + ": truncated zstd frame");
        }
        copy.write(bytes);
        return bytes;
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
