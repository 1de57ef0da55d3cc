package dev.ferry.installer.host;

import dev.ferry.common.files.AtomicWriter;
import dev.ferry.common.files.FileMode;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributes;

/** Folder trees: delete and copy, never following symlinks (a planted link must not lead a delete elsewhere). */
public final class Trees {
    private Trees() {}

    public static void delete(Path tree) throws IOException {
        if (!Files.exists(tree, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (!Files.isDirectory(tree, LinkOption.NOFOLLOW_LINKS)) {
            Files.delete(tree);
            return;
        }
        Files.walkFileTree(tree, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                if (exc != null) {
                    throw exc;
                }
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /**
     * Copies {@code from} to a new {@code to}, keeping modes and times; symlinks are copied as links. Each file and
     * folder is created with its mode in the create call (a backup of the config folder holds the token: it must
     * never exist, even briefly, with the umask's wider mode).
     */
    public static void copy(Path from, Path to) throws IOException {
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Path target = to.resolve(from.relativize(dir).toString());
                AtomicWriter.createFolder(target, modeOf(dir));
                AtomicWriter.setMode(target, modeOf(dir));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Path target = to.resolve(from.relativize(file).toString());
                if (attrs.isSymbolicLink()) {
                    Files.createSymbolicLink(target, Files.readSymbolicLink(file));
                    return FileVisitResult.CONTINUE;
                }
                if (!attrs.isRegularFile()) {
                    return FileVisitResult.CONTINUE; // a fifo or device in a config folder is not Ferry's to copy
                }
                try (FileChannel out = AtomicWriter.createNew(target, modeOf(file));
                        FileChannel in = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
                    for (long done = 0, size = in.size(); done < size; ) {
                        done += in.transferTo(done, size - done, out);
                    }
                }
                Files.setLastModifiedTime(target, attrs.lastModifiedTime());
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static FileMode modeOf(Path path) throws IOException {
        if (!AtomicWriter.posix(path)) {
            return FileMode.READABLE;
        }
        return FileMode.of(Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
                .permissions());
    }

    /** Removes {@code dir} and then its parents while they are empty, stopping at {@code stop} (never removed). */
    public static void deleteEmptyDirs(Path dir, Path stop) throws IOException {
        for (Path p = dir; p != null && p.startsWith(stop) && !p.equals(stop); p = p.getParent()) {
            if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            try (var entries = Files.list(p)) {
                if (entries.findAny().isPresent()) {
                    return;
                }
            }
            Files.delete(p);
        }
    }
}
