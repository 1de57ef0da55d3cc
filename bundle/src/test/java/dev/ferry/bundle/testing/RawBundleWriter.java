package dev.ferry.bundle.testing;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdInputStream;
import dev.ferry.bundle.BundleLayout;
import dev.ferry.bundle.FileEntry;
import dev.ferry.bundle.Manifest;
import dev.ferry.bundle.ManifestCodec;
import dev.ferry.bundle.SecretDigest;
import dev.ferry.keys.SigningKey;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.archivers.zip.ZipEncodingHelper;

/**
 * Writes bundles that {@code BundleWriter} never would, for hostile-bundle tests: any entry names, types, modes,
 * declared sizes and order, raw bytes anywhere in the tar stream, arbitrary manifest bytes and signatures, several
 * zstd frames, bytes after the compressed stream. Everything is built in memory: for small hostile inputs only.
 *
 * <pre>{@code
 * RawBundleWriter.create()
 *     .signedManifest(manifest, key)
 *     .file("payload/a", bytes, 0644)
 *     .symlink("payload/evil", "/etc/passwd")
 *     .endOfArchive()
 *     .writeTo(dir.resolve("evil.bundle.tar.zst"));
 * }</pre>
 */
public final class RawBundleWriter {
    private static final int BLOCK = 512;

    private final List<ByteArrayOutputStream> frames = new ArrayList<>(List.of(new ByteArrayOutputStream()));
    private byte[] afterCompression = new byte[0];

    private RawBundleWriter() {}

    public static RawBundleWriter create() {
        return new RawBundleWriter();
    }

    /** An entry {@code manifest.json} holding exactly these bytes. */
    public RawBundleWriter manifest(byte[] bytes) {
        return file(BundleLayout.MANIFEST, bytes, 0644);
    }

    /** {@code manifest.json} encoded from {@code manifest}, then one signature entry per key. */
    public RawBundleWriter signedManifest(Manifest manifest, SigningKey... keys) {
        byte[] bytes = ManifestCodec.encode(manifest);
        manifest(bytes);
        for (SigningKey key : keys) {
            signature(key.keyId(), key.sign(bytes));
        }
        return this;
    }

    public RawBundleWriter signature(String keyId, byte[] signature) {
        return file(BundleLayout.signaturePath(keyId), signature, 0644);
    }

    public RawBundleWriter file(String name, byte[] content, int mode) {
        TarArchiveEntry entry = entry(name, TarConstants.LF_NORMAL);
        entry.setSize(content.length);
        entry.setMode(mode);
        return entry(entry, content);
    }

    /** A regular file whose name travels in a pax {@code path} record (as the writer does for long names). */
    public RawBundleWriter paxFile(String name, byte[] content, int mode) {
        pax(Map.of("path", name));
        TarArchiveEntry entry = entry("payload/short-name", TarConstants.LF_NORMAL);
        entry.setSize(content.length);
        entry.setMode(mode);
        return entry(entry, content);
    }

    /** A pax extended header ('x') with these records, applying to the next entry. */
    public RawBundleWriter pax(Map<String, String> records) {
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        for (Map.Entry<String, String> record : records.entrySet()) {
            String body = " " + record.getKey() + "=" + record.getValue() + "\n";
            int bodyLength = body.getBytes(StandardCharsets.UTF_8).length;
            int length = bodyLength + String.valueOf(bodyLength).length();
            if (String.valueOf(length).length() != String.valueOf(bodyLength).length()) {
                length++;
            }
            data.writeBytes((length + body).getBytes(StandardCharsets.UTF_8));
        }
        TarArchiveEntry header = entry("./PaxHeaders.X/entry", TarConstants.LF_PAX_EXTENDED_HEADER_LC);
        header.setSize(data.size());
        return entry(header, data.toByteArray());
    }

    public RawBundleWriter symlink(String name, String target) {
        TarArchiveEntry entry = entry(name, TarConstants.LF_SYMLINK);
        entry.setLinkName(target);
        entry.setMode(0777);
        return header(entry);
    }

    public RawBundleWriter hardlink(String name, String target) {
        TarArchiveEntry entry = entry(name, TarConstants.LF_LINK);
        entry.setLinkName(target);
        entry.setMode(0644);
        return header(entry);
    }

    public RawBundleWriter directory(String name) {
        TarArchiveEntry entry = entry(name.endsWith("/") ? name : name + "/", TarConstants.LF_DIR);
        entry.setMode(0755);
        return header(entry);
    }

    public RawBundleWriter fifo(String name) {
        TarArchiveEntry entry = entry(name, TarConstants.LF_FIFO);
        entry.setMode(0644);
        return header(entry);
    }

    /** A header exactly as {@code entry} says, then {@code content} and zero padding to the next block. */
    public RawBundleWriter entry(TarArchiveEntry entry, byte[] content) {
        header(entry);
        bytes(content);
        int pad = (BLOCK - content.length % BLOCK) % BLOCK;
        return bytes(new byte[pad]);
    }

    /** Only the 512-byte header: the declared size may promise data that never follows. */
    public RawBundleWriter header(TarArchiveEntry entry) {
        byte[] block = new byte[BLOCK];
        try {
            entry.writeEntryHeader(block, ZipEncodingHelper.getZipEncoding("UTF-8"), false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes(block);
    }

    /** Raw bytes into the (uncompressed) tar stream. */
    public RawBundleWriter bytes(byte[] raw) {
        frames.get(frames.size() - 1).writeBytes(raw);
        return this;
    }

    /** The two zero blocks that end a tar archive. */
    public RawBundleWriter endOfArchive() {
        return bytes(new byte[2 * BLOCK]);
    }

    /** What follows goes into a new zstd frame (as the writer puts the payload in a frame of its own). */
    public RawBundleWriter newFrame() {
        frames.add(new ByteArrayOutputStream());
        return this;
    }

    /** Bytes appended to the file after the compressed frames. */
    public RawBundleWriter afterCompression(byte[] raw) {
        this.afterCompression = raw.clone();
        return this;
    }

    /** The uncompressed tar stream written so far. */
    public byte[] tarBytes() {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        frames.forEach(f -> all.writeBytes(f.toByteArray()));
        return all.toByteArray();
    }

    public Path writeTo(Path file) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (ByteArrayOutputStream frame : frames) {
            out.writeBytes(Zstd.compress(frame.toByteArray(), 3));
        }
        out.writeBytes(afterCompression);
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.write(file, out.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /** A tar stream of these exact bytes, compressed as one frame: to repack a tampered {@link #decompress} result. */
    public static Path writeTar(byte[] tar, Path file) {
        return create().bytes(tar).writeTo(file);
    }

    /** The whole uncompressed tar stream of a (small) bundle. */
    public static byte[] decompress(Path bundle) {
        try (InputStream in = new ZstdInputStream(Files.newInputStream(bundle))) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The manifest entry of a file with this content: what a signed manifest must declare for it. A secret
     * ({@code payload/secrets/...}) is sealed as the writer seals it (SPEC section 2), with a fixed salt, and the seal is
     * remembered per content: tests build many manifests around the same few secrets.
     */
    public static FileEntry entryFor(String path, byte[] content, String mode) {
        String sha256 = sha256Hex(content);
        if (BundleLayout.isSecret(path)) {
            return FileEntry.secret(
                    path,
                    mode,
                    SEALS.computeIfAbsent(
                            sha256, d -> slowDigest(d, "00".repeat(SecretDigest.SALT_BYTES), SecretDigest.ITERATIONS)));
        }
        return new FileEntry(path, content.length, sha256, mode);
    }

    private static final Map<String, SecretDigest> SEALS = new ConcurrentHashMap<>();

    /**
     * A secret's PBKDF2 as bundles made before the binding key list it (SPEC section 2), from the JDK's own
     * PBKDF2WithHmacSHA256 rather than Ferry's: {@code iterations} below the floor make what a careless or hostile
     * bundler might sign.
     */
    public static SecretDigest slowDigest(String sha256Hex, String saltHex, int iterations) {
        try {
            PBEKeySpec spec =
                    new PBEKeySpec(sha256Hex.toCharArray(), HexFormat.of().parseHex(saltHex), iterations, 256);
            byte[] hash = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                    .generateSecret(spec)
                    .getEncoded();
            return new SecretDigest(
                    SecretDigest.KDF, iterations, saltHex, HexFormat.of().formatHex(hash));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The lowercase hex SHA-256 of {@code content}, as sha256sum prints it. */
    public static String sha256Hex(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static TarArchiveEntry entry(String name, byte type) {
        TarArchiveEntry entry = new TarArchiveEntry(name, type, true);
        entry.setUserName("");
        entry.setGroupName("");
        entry.setModTime(FileTime.from(TestBundles.CREATED_AT));
        return entry;
    }
}
