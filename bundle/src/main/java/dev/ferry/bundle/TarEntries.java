package dev.ferry.bundle;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/** How the writer makes tar entries: the same bytes on every machine, whoever runs it. */
final class TarEntries {
    static final int BLOCK = 512;
    static final Charset NAME_ENCODING = StandardCharsets.UTF_8;

    private TarEntries() {}

    /**
     * A tar stream with 512-byte records (no padding to 10 KiB, so the head can stop between entries), pax headers
     * for long or non-ASCII names and for sizes past 8 GiB, UTF-8 names.
     */
    static TarArchiveOutputStream open(OutputStream out) {
        TarArchiveOutputStream tar = new TarArchiveOutputStream(out, BLOCK, NAME_ENCODING.name());
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        tar.setAddPaxHeadersForNonAsciiNames(true);
        return tar;
    }

    /** A regular file entry owned by root:root (0:0, empty names), modified at {@code mtime}. */
    static TarArchiveEntry regularFile(String name, long size, int mode, Instant mtime) {
        TarArchiveEntry entry = new TarArchiveEntry(name, TarArchiveEntry.LF_NORMAL, true);
        entry.setSize(size);
        entry.setMode(mode);
        entry.setUserId(0);
        entry.setGroupId(0);
        // The default is the JVM's user name: a build would depend on who ran it.
        entry.setUserName("");
        entry.setGroupName("");
        entry.setModTime(FileTime.from(mtime.getEpochSecond(), TimeUnit.SECONDS));
        return entry;
    }

    static void writeSmallFile(TarArchiveOutputStream tar, String name, byte[] content, int mode, Instant mtime)
            throws IOException {
        tar.putArchiveEntry(regularFile(name, content.length, mode, mtime));
        tar.write(content);
        tar.closeArchiveEntry();
    }
}
