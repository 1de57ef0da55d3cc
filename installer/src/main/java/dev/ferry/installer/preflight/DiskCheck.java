package dev.ferry.installer.preflight;

import dev.ferry.installer.check.Cause;
import dev.ferry.installer.check.Check;
import java.io.IOException;
import java.nio.file.FileStore;
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
            Map<FileStore, Long> needed = new LinkedHashMap<>();
            Map<FileStore, Path> example = new LinkedHashMap<>();
            FileStore installStore = Files.getFileStore(nearestExisting(installFolder));
            for (Path folder : folders) {
                Path existing = nearestExisting(folder);
                FileStore store = Files.getFileStore(existing);
                needed.putIfAbsent(store, minFreeMb * MB);
                example.putIfAbsent(store, existing);
            }
            needed.merge(installStore, unpackedBytes, Long::sum);
            example.putIfAbsent(installStore, nearestExisting(installFolder));
            List<String> short_ = new ArrayList<>();
            List<String> seen = new ArrayList<>();
            for (Map.Entry<FileStore, Long> e : needed.entrySet()) {
                long free = e.getKey().getUsableSpace();
                String line = example.get(e.getKey()) + ": " + free / MB + " MB free, needs " + ceilMb(e.getValue()) + " MB";
                seen.add(line);
                if (free < e.getValue()) {
                    short_.add(line);
                }
            }
            if (!short_.isEmpty()) {
                return Check.fail("disk", Cause.DISK_SPACE, String.join("; ", short_),
                        "free space on " + String.join(", ", short_.stream().map(s -> s.substring(0, s.indexOf(':'))).toList())
                                + " (minFreeDiskMb " + minFreeMb + " + bundle " + ceilMb(unpackedBytes) + " MB)", 0);
            }
            return Check.pass("disk", String.join("; ", seen), 0);
        } catch (IOException e) {
            return Check.warn("disk", Cause.DISK_SPACE, "cannot read free space: " + e.getMessage(),
                    "check free space by hand (df) against minFreeDiskMb " + minFreeMb, 0);
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
