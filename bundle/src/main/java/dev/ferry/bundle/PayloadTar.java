package dev.ferry.bundle;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.attribute.FileTime;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.zip.ZipEncoding;
import org.apache.commons.compress.archivers.zip.ZipEncodingHelper;

/**
 * The payload frame's tar stream, byte for byte what {@link TarEntries#open} writes: each entry's header records
 * (pax headers included) and the end records are made by commons-compress itself, but a file's data goes straight to
 * the output in the reader's 1 MiB pieces, then zeros up to the next 512-byte record, as the library pads it. The
 * library copies data into a 512-byte record and hands each record on by itself: measured, a quarter of a second of
 * one core per 450 MB (5,000 files, the launcher's JVM options), on the thread that feeds zstd.
 */
final class PayloadTar {
    private static final byte[] ZEROS = new byte[TarEntries.BLOCK];
    /** The longest name (ASCII, so bytes) a ustar header holds without a pax header. */
    private static final int PLAIN_NAME = 99;
    /** The largest number (11 octal digits: a size, an mtime) a ustar header holds without a pax header. */
    private static final long PLAIN_NUMBER = 077777777777L;

    private final OutputStream out;
    /** Where the library writes one entry's header records before they are copied out. */
    private final ByteArrayOutputStream records = new ByteArrayOutputStream(4 * TarEntries.BLOCK);
    /** The header record of an entry that needs no pax header. */
    private final byte[] header = new byte[TarEntries.BLOCK];
    /** The name encoding the library's stream uses ({@link TarEntries#open}). */
    private final ZipEncoding names = ZipEncodingHelper.getZipEncoding(TarEntries.NAME_ENCODING.name());

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
        if (plain(entry)) {
            // All the library's stream writes for such an entry, formatted by the library, without making a stream
            // for it: that cost 40 ms of the thread that feeds zstd for 10,000 files (PayloadTarTest: same bytes).
            entry.writeEntryHeader(header, names, false);
            out.write(header);
        } else {
            records.reset();
            // A fresh library stream per entry: it writes the pax and header records now and expects data we never
            // give it.
            TarEntries.open(records).putArchiveEntry(entry);
            records.writeTo(out);
        }
        size = entry.getSize();
        written = 0;
        open = true;
    }

    /**
     * Whether the library's stream would write {@code entry} as its header record alone: an ASCII name short enough
     * for the ustar field, numbers that fit it, whole-second mtime and no other times, no link, no pax header of its own.
     */
    private static boolean plain(TarArchiveEntry entry) {
        String name = entry.getName();
        if (name.length() > PLAIN_NAME) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            if (name.charAt(i) >= 0x80) {
                return false;
            }
        }
        FileTime mtime = entry.getLastModifiedTime();
        long seconds = mtime.to(TimeUnit.SECONDS);
        return entry.isFile()
                && entry.getLinkName().isEmpty()
                && entry.getExtraPaxHeaders().isEmpty()
                && entry.getSize() <= PLAIN_NUMBER
                && entry.getLongUserId() == 0
                && entry.getLongGroupId() == 0
                && seconds >= 0
                && seconds <= PLAIN_NUMBER
                && FileTime.from(seconds, TimeUnit.SECONDS).equals(mtime)
                && entry.getLastAccessTime() == null
                && entry.getStatusChangeTime() == null
                && entry.getCreationTime() == null;
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
