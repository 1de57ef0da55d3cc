package dev.ferry.bundler.kit;

import dev.ferry.bundle.BundleSource;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Writes the kit's payload, a tar.gz built here rather than by the host's tar so that it is the same on every build
 * machine: entries sorted by name, one fixed mtime, owner and group 0, no user names, the gzip header's time 0.
 * Streams every file; nothing is held in memory.
 */
final class KitPayload {
    /** The payload's SHA-256 and size in bytes. */
    record Written(String sha256, long size) {}

    private final Instant mtime;
    private final List<Source> sources = new ArrayList<>();

    /** A file or folder of the build machine, or ({@code bundle} set) a bundle that may be split into parts. */
    private record Source(String name, Path file, int mode, BundleSource bundle) {}

    KitPayload(Instant mtime) {
        this.mtime = mtime;
    }

    /** Adds a folder tree under {@code prefix/}, keeping each file's permissions and symbolic links as links. */
    KitPayload addTree(String prefix, Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path path : (Iterable<Path>) walk.sorted()::iterator) {
                String relative = dir.relativize(path).toString().replace('\\', '/');
                String name = relative.isEmpty() ? prefix : prefix + "/" + relative;
                sources.add(new Source(name, path, mode(path), null));
            }
        }
        return this;
    }

    KitPayload addFile(String name, Path file, int mode) {
        sources.add(new Source(name, file, mode, null));
        return this;
    }

    /** The bundle as one file, its parts streamed in order when it is split (they are joined only inside the kit). */
    KitPayload addBundle(String name, BundleSource bundle, int mode) {
        sources.add(new Source(name, null, mode, bundle));
        return this;
    }

    Written writeTo(Path target) throws IOException {
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        List<Source> sorted = new ArrayList<>(sources);
        sorted.sort((a, b) -> a.name().compareTo(b.name()));
        try (OutputStream file = Files.newOutputStream(target);
                DigestOutputStream digest = new DigestOutputStream(new BufferedOutputStream(file, 1 << 16), sha256);
                GZIPOutputStream gzip = new GZIPOutputStream(digest, 1 << 16);
                TarArchiveOutputStream tar = new TarArchiveOutputStream(gzip, "UTF-8")) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            for (Source source : sorted) {
                write(tar, source);
            }
        }
        return new Written(HexFormat.of().formatHex(sha256.digest()), Files.size(target));
    }

    private void write(TarArchiveOutputStream tar, Source source) throws IOException {
        Path path = source.file();
        TarArchiveEntry entry;
        if (source.bundle() != null) {
            entry = new TarArchiveEntry(source.name());
            entry.setSize(source.bundle().size());
        } else if (Files.isSymbolicLink(path)) {
            entry = new TarArchiveEntry(source.name(), TarConstants.LF_SYMLINK);
            entry.setLinkName(Files.readSymbolicLink(path).toString());
        } else if (Files.isDirectory(path)) {
            entry = new TarArchiveEntry(source.name() + "/");
        } else {
            entry = new TarArchiveEntry(source.name());
            entry.setSize(Files.size(path));
        }
        int type = entry.isDirectory() ? 040000 : entry.isSymbolicLink() ? 0120000 : 0100000;
        entry.setMode(type | source.mode());
        entry.setModTime(mtime.toEpochMilli());
        entry.setUserId(0);
        entry.setGroupId(0);
        entry.setUserName("");
        entry.setGroupName("");
        tar.putArchiveEntry(entry);
        if (entry.isFile()) {
            try (InputStream in = source.bundle() != null ? source.bundle().open() : Files.newInputStream(path)) {
                in.transferTo(tar);
            }
        }
        tar.closeArchiveEntry();
    }

    /** rwxr-xr-x or rw-r--r-- by whether the owner may execute: the build machine's umask does not leak in. */
    private static int mode(Path path) throws IOException {
        if (Files.isSymbolicLink(path)) {
            return 0777;
        }
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS);
        return perms.contains(PosixFilePermission.OWNER_EXECUTE) ? 0755 : 0644;
    }
}
