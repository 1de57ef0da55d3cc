package dev.ferry.bundle;

import dev.ferry.common.FerryException;
import dev.ferry.common.Printable;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import dev.ferry.common.Progress;
import java.security.DigestInputStream;
import java.security.MessageDigest;
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

    private BundleInput(String source, DigestInputStream raw, InputStream zstd) {
        this.source = source;
        this.raw = raw;
        this.zstd = zstd;
        this.decompressed = new ReadAhead(zstd, "ferry-bundle-reader");
        this.tar = new StrictTarReader(decompressed, source);
    }

    static BundleInput open(Path bundle, Progress progress) {
        String source = bundle.toString();
        if (!Files.isRegularFile(bundle)) {
            throw FerryException.usage(source + ": no such bundle file");
        }
        InputStream file;
        try {
            progress.total(Files.size(bundle));
            file = new ProgressInputStream(Files.newInputStream(bundle), progress);
        } catch (NoSuchFileException e) {
            throw FerryException.usage(source + ": no such bundle file");
        } catch (IOException e) {
            throw FerryException.usage(source + ": cannot read bundle: " + e.getMessage());
        }
        try {
            DigestInputStream raw = new DigestInputStream(file, Sha256.digest());
            InputStream zstd = ZstdDecoders.open(new ZstdFrameGuard(raw));
            return new BundleInput(source, raw, zstd);
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
            throw FerryException.verification(source + ": unexpected data after the compressed stream");
        }
    }

    /** SHA-256 of every byte of the file; meaningful once {@link #expectEndOfFile} passed. */
    String sha256() {
        MessageDigest digest = raw.getMessageDigest();
        return Sha256.hex(digest);
    }

    /** The one line for a bundle that could not be read: truncated, or not zstd/tar at all. */
    static FerryException failure(String source, IOException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String message = t.getMessage() == null ? "" : t.getMessage();
            if (t instanceof EOFException || message.toLowerCase(Locale.ROOT).contains("truncated")) {
                return new FerryException(dev.ferry.common.ExitCode.VERIFICATION,
                        source + ": truncated: the file ends in the middle of the bundle (copy it again)", e);
            }
        }
        Throwable root = e instanceof BundleReadException && e.getCause() != null ? e.getCause() : e;
        return new FerryException(dev.ferry.common.ExitCode.VERIFICATION,
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
