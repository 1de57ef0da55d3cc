package dev.ferry.bundle;

import dev.ferry.common.ExitCode;
import dev.ferry.common.FerryException;
import dev.ferry.common.Progress;
import dev.ferry.common.Reason;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.util.Locale;

/**
 * A bundle file opened for one streaming pass: file bytes are hashed as zstd reads them (the whole-file SHA-256
 * costs no second read), and the decompressed tar goes to a {@link StrictTarReader}. Reading, hashing the file and
 * decompressing run on their own thread, a few chunks ahead of the tar reader ({@link ReadAhead}). Memory is
 * bounded: the decoder's window is capped ({@link ZstdDecoders}), buffers are fixed.
 */
final class BundleInput implements Closeable {
    private final String source;
    private final DigestInputStream raw;
    private final InputStream zstd;
    private final ReadAhead decompressed;
    private final StrictTarReader tar;
    /** The split bundle's index, or null for a whole bundle file. */
    private final PartsIndex parts;

    private final PartsInputStream partsStream;
    /** The whole file's SHA-256 once taken (taking it resets the digest). */
    private String whole;

    private BundleInput(String source, DigestInputStream raw, InputStream zstd, BundleSource bundle, InputStream file) {
        this.source = source;
        this.parts = bundle.index();
        this.partsStream = file instanceof PartsInputStream p ? p : null;
        this.raw = raw;
        this.zstd = zstd;
        this.decompressed = new ReadAhead(zstd, "ferry-bundle-reader");
        this.tar = new StrictTarReader(decompressed, source);
    }

    /** @param bundle a bundle file, or a split bundle's index or first part ({@link BundleSource}) */
    static BundleInput open(Path bundle, Progress progress) {
        String source = bundle.toString();
        BundleSource resolved = BundleSource.of(bundle);
        InputStream opened = resolved.open();
        progress.total(resolved.size());
        InputStream file = new ProgressInputStream(opened, progress);
        try {
            DigestInputStream raw = new DigestInputStream(file, Sha256.digest());
            InputStream zstd = ZstdDecoders.open(new ZstdFrameGuard(raw));
            return new BundleInput(source, raw, zstd, resolved, opened);
        } catch (IOException e) {
            closeQuietly(file);
            throw failure(source, e);
        }
    }

    String source() {
        return source;
    }

    StrictTarReader tar() {
        return tar;
    }

    /** After the archive's end: the compressed stream must end with the file, nothing may follow it. */
    void expectEndOfFile() throws IOException {
        // The reading thread saw the end already; wait until it let go of the file.
        decompressed.stop();
        if (raw.read() >= 0) {
            throw Reason.MALFORMED_ARCHIVE.failure(source + ": unexpected data after the compressed stream");
        }
        if (parts != null && !sha256Hex().equals(parts.sha256())) {
            throw FerryException.verification(source + ": every part matches the index, but together they are not the"
                    + " bundle the index names (its sha256 differs): the index does not belong to these parts");
        }
    }

    /** A split bundle's index must name the bundle the signed manifest describes. */
    void expectBundleOf(Manifest manifest) {
        String expected = BundleLayout.fileName(manifest.name(), manifest.version());
        if (parts != null && !parts.bundle().equals(expected)) {
            throw FerryException.verification(source + ": the index names " + parts.bundle()
                    + " but the signed manifest is of " + expected + ": the index does not belong to these parts");
        }
    }

    /**
     * A failure while reading a split bundle may come from a damaged part (the decoder or the tar reader choked on
     * its bytes before the part ended): then the part is named instead. Stops the reading thread.
     */
    RuntimeException explain(RuntimeException failure) {
        if (partsStream == null || !(failure instanceof FerryException f && f.exitCode() == ExitCode.VERIFICATION)) {
            return failure;
        }
        decompressed.stop();
        return partsStream.explain(failure);
    }

    /** SHA-256 of every byte of the file; meaningful once {@link #expectEndOfFile} passed. */
    String sha256() {
        return sha256Hex();
    }

    private String sha256Hex() {
        if (whole == null) {
            whole = Sha256.hex(raw.getMessageDigest());
        }
        return whole;
    }

    /** The one line for a bundle that could not be read: truncated, or not zstd/tar at all. */
    static FerryException failure(String source, IOException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String message = t.getMessage() == null ? "" : t.getMessage();
            String lower = message.toLowerCase(Locale.ROOT);
            // zstd-jni says "truncated"; the pure-Java decoder (aircompressor) says "Not enough input bytes".
            if (t instanceof EOFException || lower.contains("truncated") || lower.contains("not enough input bytes")) {
                return Reason.TRUNCATED.failure(
                        source + ": truncated: the file ends in the middle of the bundle (copy it again)", e);
            }
        }
        Throwable root = e instanceof BundleReadException && e.getCause() != null ? e.getCause() : e;
        return Reason.MALFORMED_ARCHIVE.failure(
                source + ": not a valid bundle: corrupt compressed data (" + oneLine(root.getMessage()) + ")", e);
    }

    private static String oneLine(String message) {
        return message == null ? "no detail" : Printable.quote(message).replace("'", "");
    }

    @Override
    public void close() {
        decompressed.stop();
        closeQuietly(zstd);
        closeQuietly(raw);
    }

    private static void closeQuietly(Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException ignored) {
            // Read-only: nothing to lose on close.
        }
    }
}
