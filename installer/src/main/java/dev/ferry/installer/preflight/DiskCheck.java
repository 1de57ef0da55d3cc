package dev.ferry.installer.preflight;

import dev.ferry.installer.check.Cause;
import dev.ferry.installer.check.Check;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code disk} check: free space on every filesystem that will receive bytes (install, config, data and log
 * folders; a folder that does not exist yet is judged by its nearest existing ancestor). Each needs
 * {@code minFreeDiskMb}; the install filesystem needs the bundle's unpacked size on top.
 */
final class DiskCheck {
    private static final long MB = 1024L * 1024;

    private DiskCheck() {}

    static Check run(List<Path> folders, Path installFolder, long minFreeMb, long unpackedBytes) {
        try {
            Map<Volume, Long> needed = new LinkedHashMap<>();
            Map<Volume, Path> example = new LinkedHashMap<>();
            Volume installStore = Volume.of(nearestExisting(installFolder));
            for (Path folder : folders) {
                Path existing = nearestExisting(folder);
                Volume store = Volume.of(existing);
                needed.putIfAbsent(store, minFreeMb * MB);
                example.putIfAbsent(store, existing);
            }
            needed.merge(installStore, unpackedBytes, Long::sum);
            example.putIfAbsent(installStore, nearestExisting(installFolder));
            List<String> short_ = new ArrayList<>();
            List<String> seen = new ArrayList<>();
            for (Map.Entry<Volume, Long> e : needed.entrySet()) {
                long free = e.getKey().free();
                String line =
                        example.get(e.getKey()) + ": " + free / MB + " MB free, needs " + ceilMb(e.getValue()) + " MB";
                seen.add(line);
                if (free < e.getValue()) {
                    short_.add(line);
                }
            }
            if (!short_.isEmpty()) {
                return Check.fail(
                        "disk",
                        Cause.DISK_SPACE,
                        String.join("; ", short_),
                        "free space on "
                                + String.join(
                                        ", ",
                                        short_.stream()
                                                .map(s -> s.substring(0, s.indexOf(':')))
                                                .toList()) + " (minFreeDiskMb " + minFreeMb + " + bundle "
                                + ceilMb(unpackedBytes) + " MB)",
                        0);
            }
            return Check.pass("disk", String.join("; ", seen), 0);
        } catch (IOException e) {
            return Check.warn(
                    "disk",
                    Cause.DISK_SPACE,
                    "cannot read free space: " + e.getMessage(),
                    "check free space by hand (df) against minFreeDiskMb " + minFreeMb,
                    0);
        }
    }

    /** A file system, told apart by its store or, where the mount table cannot name it, by its device number. */
    private record Volume(Object id, long free) {
        static Volume of(Path existing) throws IOException {
            try {
                FileStore store = Files.getFileStore(existing);
                return new Volume(store, store.getUsableSpace());
            } catch (IOException noMountEntry) {
                // A chroot's mount table does not list its root ("Mount point not found"): statvfs(2) still answers.
                if (existing.getFileSystem() != FileSystems.getDefault()) {
                    throw noMountEntry;
                }
                return new Volume(
                        Files.getAttribute(existing, "unix:dev"),
                        existing.toFile().getUsableSpace());
            }
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Volume v && v.id.equals(id);
        }

        @Override
        public int hashCode() {
            return id.hashCode();
        }
    }

    private static long ceilMb(long bytes) {
        return (bytes + MB - 1) / MB;
    }

    static Path nearestExisting(Path folder) {
        Path p = folder.toAbsolutePath();
        while (p != null && !Files.exists(p)) {
            p = p.getParent();
        }
        return p == null ? folder.toAbsolutePath().getRoot() : p;
    }
}
