package dev.ferry.installer.host;

import dev.ferry.common.files.AtomicWriter;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The release folders of one agent: naming, the {@code current} link, and pruning to the kept ones. */
public final class Releases {
    private Releases() {}

    /** {@code VERSION-SEQUENCE}, the folder name under {@code releases/}. */
    public static String name(String version, long sequence) {
        return HostLayout.requireSafe("version", version) + "-" + sequence;
    }

    /** The release name {@code current} points at, if it is a link into {@code releases/}. */
    public static Optional<String> current(HostPaths paths) throws IOException {
        Path link = paths.current();
        if (!Files.isSymbolicLink(link)) {
            return Optional.empty();
        }
        Path target = Files.readSymbolicLink(link);
        return Optional.of(target.getFileName().toString());
    }

    /** Points {@code current} at {@code releases/NAME} (a relative link, so the tree can move), atomically. */
    public static void switchTo(HostPaths paths, String release) throws IOException {
        Path relative = paths.current().getFileSystem().getPath("releases", release);
        AtomicWriter.swapSymlink(paths.current(), relative);
    }

    /** Removes {@code current} (undo of a first install). */
    public static void unlinkCurrent(HostPaths paths) throws IOException {
        Files.deleteIfExists(paths.current());
    }

    /**
     * Deletes every release folder not in {@code keep}, plus leftover staging and set-aside folders (the debris of
     * an interrupted run). Returns the names deleted.
     */
    public static List<String> prune(HostPaths paths, Set<String> keep) throws IOException {
        List<String> deleted = new ArrayList<>();
        if (!Files.isDirectory(paths.releasesDir())) {
            return deleted;
        }
        List<Path> victims = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(paths.releasesDir())) {
            for (Path entry : entries) {
                if (!keep.contains(entry.getFileName().toString())) {
                    victims.add(entry);
                }
            }
        }
        for (Path victim : victims) {
            Trees.delete(victim);
            deleted.add(victim.getFileName().toString());
        }
        deleted.sort(null);
        return deleted;
    }

    public static boolean exists(HostPaths paths, String release) {
        return release != null && Files.isDirectory(paths.release(release), LinkOption.NOFOLLOW_LINKS);
    }
}
