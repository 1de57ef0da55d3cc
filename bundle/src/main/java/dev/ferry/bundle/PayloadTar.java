package dev.ferry.bundle;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * The payload frame's tar stream, byte for byte what {@link TarEntries#open} writes: each entry's header records
 * (pax headers included) and the end records are made by commons-compress itself, but a file's data goes straight to
 * the output in the reader's 1 MiB pieces, then zeros up to the next 512-byte record, as the library pads it. The
 * library copies data into a 512-byte record and hands each record on by itself: measured, a quarter of a second of
 * one core per 450 MB (5,000 files, the launcher's JVM options), on the thread that feeds zstd.
 */
final class PayloadTar {
    private static final byte[] ZEROS = new byte[TarEntries.BLOCK];

    private final OutputStream out;
    /** Where the library writes one entry's header records before they are copied out. */
    private final ByteArrayOutputStream records = new ByteArrayOutputStream(4 * TarEntries.BLOCK);

    private long size;
    private long written;
    private boolean open;

    PayloadTar(OutputStream out) {
        this.out = out;
    }

    /** Writes {@code entry}'s header records; its {@link TarArchiveEntry#getSize()} bytes of data must follow. */
    void begin(TarArchiveEntry entry) throws IOException {
        if (open) {
            throw new IllegalStateException("the previous entry is not ended");
        }
        records.reset();
        // A fresh library stream per entry: it writes the header now and expects data we never give it.
        TarEntries.open(records).putArchiveEntry(entry);
        records.writeTo(out);
        size = entry.getSize();
        written = 0;
        open = true;
    }

    void write(byte[] data, int offset, int length) throws IOException {
        if (length > size - written) {
            throw new IllegalStateException("more data than the entry's size of " + size + " bytes");
        }
        out.write(data, offset, length);
        written += length;
    }

    /** Pads the entry's data to a whole record. */
    void end() throws IOException {
        if (written != size) {
            throw new IllegalStateException("entry ended after " + written + " of " + size + " bytes");
        }
        int partial = (int) (size % TarEntries.BLOCK);
        if (partial != 0) {
            out.write(ZEROS, 0, TarEntries.BLOCK - partial);
        }
        open = false;
    }

    /** The end-of-archive records, as the library writes them. */
    void finish() throws IOException {
        if (open) {
            throw new IllegalStateException("the last entry is not ended");
        }
        records.reset();
        TarArchiveOutputStream tar = TarEntries.open(records);
        tar.finish();
        records.writeTo(out);
    }
}
