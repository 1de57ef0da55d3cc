package dev.ferry.common.files;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.security.SecureRandom;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * Ferry's one way to write a file: a reader, a crash or another account sees the old content or the new one, never
 * half, and never a byte with wider permissions than asked for.
 *
 * <ol>
 *   <li>a temporary name beside the target with a random part, created with {@code CREATE_NEW} (so a link or file
 *       planted at that name is never followed or reused) and {@code NOFOLLOW_LINKS};</li>
 *   <li>the mode is part of the create call (the kernel only narrows it by the umask), then set exactly, before the
 *       first byte is written;</li>
 *   <li>the content is flushed to disk, the file renamed over the target (a rename replaces a link planted at the
 *       target, it never writes through it), and the folder flushed so the rename survives a power cut.</li>
 * </ol>
 *
 * Nothing here asks the JDK for the file store: that reads the mount table, which a chroot does not have for its root
 * ("Mount point not found"). Whether modes apply is a property of the file system provider alone. Every failure is a
 * {@link FileFailure}: one line naming the path and the cause.
 */
public final class AtomicWriter {
    private static final SecureRandom RANDOM = new SecureRandom();

    private AtomicWriter() {}

    /** What goes into a file written by {@link #write(Path, FileMode, Content)}. */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    public static void write(Path target, byte[] bytes, FileMode mode) throws IOException {
        write(target, mode, out -> out.write(bytes));
    }

    /** Streams {@code content} into {@code target}: memory does not grow with the file. */
    public static void write(Path target, FileMode mode, Content content) throws IOException {
        try (Staged file = stage(target, mode)) {
            content.writeTo(file.stream());
            file.commit();
        }
    }

    /**
     * The temporary file of a write that the caller fills and then {@link Staged#commit commits}; closing it
     * uncommitted deletes it. Missing parent folders are created {@link FileMode#FOLDER}.
     */
    public static Staged stage(Path target, FileMode mode) throws IOException {
        Path dir = parent(target);
        createFolders(dir, FileMode.FOLDER);
        Path temp = dir.resolve(tempName(target));
        try {
            return new Staged(target, temp, createNew(temp, mode));
        } catch (IOException e) {
            throw FileFailure.of("write", target, e);
        }
    }

    /** A file being written under a temporary name; see {@link #stage}. */
    public static final class Staged implements AutoCloseable {
        private final Path target;
        private final Path temp;
        private final FileChannel channel;
        private final OutputStream stream;
        private boolean done;

        private Staged(Path target, Path temp, FileChannel channel) {
            this.target = target;
            this.temp = temp;
            this.channel = channel;
            this.stream = Channels.newOutputStream(channel);
        }

        public OutputStream stream() {
            return stream;
        }

        public Path temporaryFile() {
            return temp;
        }

        /** Flushes the content to disk, renames it over the target, flushes the folder. */
        public void commit() throws IOException {
            try {
                stream.flush();
                channel.force(true);
                channel.close();
                move(temp, target);
                done = true;
            } catch (IOException e) {
                throw FileFailure.of("write", target, e);
            }
            syncFolder(parent(target));
        }

        @Override
        public void close() throws IOException {
            if (!done) {
                done = true;
                channel.close();
                Files.deleteIfExists(temp);
            }
        }
    }

    /**
     * Creates {@code file}, which must not exist, with {@code mode} from its first byte; never follows a link. The
     * channel is open for writing (and for {@code more}, e.g. {@link StandardOpenOption#READ}).
     */
    public static FileChannel createNew(Path file, FileMode mode, OpenOption... more) throws IOException {
        Set<OpenOption> options = new HashSet<>(
                List.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS));
        options.addAll(List.of(more));
        FileChannel channel =
                posix(file) ? FileChannel.open(file, options, mode.attribute()) : FileChannel.open(file, options);
        try {
            setMode(file, mode); // the create call's mode lost the umask's bits: put back exactly what was asked
        } catch (IOException e) {
            channel.close();
            Files.deleteIfExists(file);
            throw e;
        }
        return channel;
    }

    /**
     * As {@link #createNew(Path, FileMode, OpenOption...)}, for a caller that creates many files in one folder tree
     * and learnt once what the create call takes away there ({@link #narrowedBits}): where it takes away none of
     * {@code mode}'s bits, the create call alone gave the file exactly {@code mode}, and setting it again (an open,
     * a chmod and a close per file) is skipped.
     */
    public static FileChannel createNew(Path file, FileMode mode, int narrowedBits, OpenOption... more)
            throws IOException {
        if ((mode.bits() & narrowedBits) != 0 || !posix(file)) {
            return createNew(file, mode, more);
        }
        Set<OpenOption> options = new HashSet<>(
                List.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS));
        options.addAll(List.of(more));
        return FileChannel.open(file, options, mode.attribute());
    }

    /**
     * The permission bits the kernel takes away from a file created in {@code dir}: the umask, or the folder's
     * default ACL where it has one (which its subfolders inherit). Learnt from a probe file created there with 0777
     * under a random name, read back and removed. Where modes do not apply, none.
     */
    public static int narrowedBits(Path dir) throws IOException {
        if (!posix(dir)) {
            return 0;
        }
        Path probe = dir.resolve(".umask-probe-" + randomSuffix());
        try {
            FileChannel.open(
                            probe,
                            Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS),
                            new FileMode(0777).attribute())
                    .close();
            return 0777
                    & ~FileMode.of(Files.getPosixFilePermissions(probe, LinkOption.NOFOLLOW_LINKS))
                            .bits();
        } catch (IOException e) {
            throw FileFailure.of("write", probe, e);
        } finally {
            Files.deleteIfExists(probe);
        }
    }

    /**
     * Opens {@code file} to append, creating it with {@code mode} if it is missing (and missing folders above it
     * {@link FileMode#FOLDER}); refuses a link or anything but a regular file at that name. An existing file keeps
     * its mode.
     */
    public static OutputStream append(Path file, FileMode mode) throws IOException {
        createFolders(parent(file), FileMode.FOLDER);
        try {
            FileChannel channel;
            try {
                channel = createNew(file, mode);
            } catch (FileAlreadyExistsException exists) {
                refuseLinkOrSpecial(file);
                channel = FileChannel.open(
                        file, StandardOpenOption.WRITE, StandardOpenOption.APPEND, LinkOption.NOFOLLOW_LINKS);
            }
            return Channels.newOutputStream(channel);
        } catch (IOException e) {
            throw FileFailure.of("write", file, e);
        }
    }

    /** Points {@code link} at {@code target} by renaming a fresh symlink over it. */
    public static void swapSymlink(Path link, Path target) throws IOException {
        Path dir = parent(link);
        createFolders(dir, FileMode.FOLDER);
        Path temp = dir.resolve(link.getFileName() + ".tmp-" + randomSuffix());
        try {
            Files.createSymbolicLink(temp, target);
            move(temp, link);
        } catch (IOException e) {
            throw FileFailure.of("switch", link, e);
        } finally {
            Files.deleteIfExists(temp);
        }
        syncFolder(dir);
    }

    /**
     * Creates {@code dir} with {@code mode} and every missing folder above it {@link FileMode#FOLDER}, exactly,
     * whatever the umask. A folder already there must be a folder, not a link to one; its mode is left alone.
     */
    public static void createFolders(Path dir, FileMode mode) throws IOException {
        Path absolute = dir.toAbsolutePath();
        if (Files.isDirectory(absolute, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Path parent = absolute.getParent();
        // Above the folder asked for, a link to a folder is the host's own arrangement (/opt -> /data/opt); only
        // the folder itself must not be a link. The layout check refuses links inside Ferry's folders beforehand.
        if (parent != null && !Files.isDirectory(parent)) {
            createFolders(parent, FileMode.FOLDER);
        }
        createFolder(absolute, mode);
    }

    /** Creates one folder with {@code mode} exactly; an existing folder (not a link) is fine and keeps its mode. */
    public static void createFolder(Path dir, FileMode mode) throws IOException {
        try {
            if (posix(dir)) {
                Files.createDirectory(dir, mode.attribute());
            } else {
                Files.createDirectory(dir);
            }
            setMode(dir, mode);
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                throw new UnsafePathException(
                        dir,
                        Files.isSymbolicLink(dir)
                                ? "it is a symbolic link where a folder belongs"
                                : "it is a file where a folder belongs",
                        "remove it and run this again");
            }
        } catch (IOException e) {
            throw FileFailure.of("create the folder", dir, e);
        }
    }

    /** Sets the mode of {@code path} itself, never of what a link there points at. */
    public static void setMode(Path path, FileMode mode) throws IOException {
        if (!posix(path)) {
            return;
        }
        PosixFileAttributeView view =
                Files.getFileAttributeView(path, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
        try {
            // NOFOLLOW: the JDK opens the path with O_NOFOLLOW and changes the mode through that descriptor.
            view.setPermissions(mode.permissions());
        } catch (IOException e) {
            if (Files.isSymbolicLink(path)) {
                throw new UnsafePathException(path, "it is a symbolic link", "remove it and run this again");
            }
            throw FileFailure.of("set the mode of", path, e);
        }
    }

    /** Persists a rename on file systems that need the folder flushed; impossible (and unneeded) on some. */
    public static void syncFolder(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Windows and some virtual file systems cannot open a folder; the rename is still atomic there.
        }
    }

    /** Whether modes apply: a property of the file system provider, not of a mount (no mount table is read). */
    public static boolean posix(Path path) {
        return path.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    public static String randomSuffix() {
        byte[] b = new byte[8];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    private static String tempName(Path target) {
        return "." + target.getFileName() + ".tmp-" + randomSuffix();
    }

    private static Path parent(Path target) {
        return target.toAbsolutePath().getParent();
    }

    private static void refuseLinkOrSpecial(Path file) throws IOException {
        if (Files.isSymbolicLink(file)) {
            throw new UnsafePathException(file, "it is a symbolic link", "remove it and run this again");
        }
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new UnsafePathException(file, "it is not a regular file", "remove it and run this again");
        }
        // A hard link planted at the name (where the kernel allows linking to another's file) would have root
        // append to that other file: refuse a file that has more than one name.
        if (file.getFileSystem().supportedFileAttributeViews().contains("unix")
                && (Integer) Files.getAttribute(file, "unix:nlink", LinkOption.NOFOLLOW_LINKS) > 1) {
            throw new UnsafePathException(
                    file,
                    "it has other hard links, so appending to it would write another file",
                    "remove it and run this again");
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException | FileAlreadyExistsException e) {
            // Windows cannot replace an existing entry atomically in every case; a plain replace is the nearest.
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
