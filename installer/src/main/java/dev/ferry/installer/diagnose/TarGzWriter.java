package dev.ferry.installer.diagnose;

import dev.ferry.common.files.AtomicWriter;
import dev.ferry.common.files.FileMode;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Date;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/** A {@code .tar.gz} of regular files (mode 0644), readable with {@code tar -xzf}; the archive itself is 0600. */
final class TarGzWriter implements AutoCloseable {
    private final TarArchiveOutputStream tar;
    private final Date mtime;

    TarGzWriter(Path file, Instant mtime) throws IOException {
        OutputStream out = new GZIPOutputStream(
                new BufferedOutputStream(Channels.newOutputStream(AtomicWriter.createNew(file, FileMode.SECRET))));
        this.tar = new TarArchiveOutputStream(out, StandardCharsets.UTF_8.name());
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        this.mtime = Date.from(mtime);
    }

    void text(String name, String content) throws IOException {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        tar.putArchiveEntry(entry(name, bytes.length));
        tar.write(bytes);
        tar.closeArchiveEntry();
    }

    /** Copies a (temporary, already redacted) file into the archive, streaming. */
    void file(String name, Path source) throws IOException {
        tar.putArchiveEntry(entry(name, Files.size(source)));
        try (InputStream in = Files.newInputStream(source)) {
            in.transferTo(tar);
        }
        tar.closeArchiveEntry();
    }

    private TarArchiveEntry entry(String name, long size) {
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setSize(size);
        e.setMode(0100644);
        e.setModTime(mtime);
        return e;
    }

    @Override
    public void close() throws IOException {
        tar.finish();
        tar.close();
    }
}
