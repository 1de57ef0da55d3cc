package dev.ferry.installer.status;

import dev.ferry.installer.host.HostPaths;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.Optional;

/**
 * "Last agent contact": the newest modification time of anything the agent itself writes, in its log folder and
 * its data folder. Ferry's own files there ({@code install.log}, {@code state.json}, {@code .txn/},
 * {@code .service/}) do not count.
 */
public final class LastContact {
    private LastContact() {}

    public static Optional<Instant> of(HostPaths paths) {
        Instant[] newest = {null};
        for (Path dir : new Path[] {paths.logDir(), paths.dataDir()}) {
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try {
                Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
                        String n =
                                d.getFileName() == null ? "" : d.getFileName().toString();
                        return d.equals(dir) || !(n.equals(HostPaths.TXN_DIR) || n.equals(HostPaths.SERVICE_DIR))
                                ? FileVisitResult.CONTINUE
                                : FileVisitResult.SKIP_SUBTREE;
                    }

                    @Override
                    public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) {
                        if (!f.equals(paths.installLog()) && !f.equals(paths.stateFile()) && attrs.isRegularFile()) {
                            Instant t = attrs.lastModifiedTime().toInstant();
                            if (newest[0] == null || t.isAfter(newest[0])) {
                                newest[0] = t;
                            }
                        }
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFileFailed(Path f, IOException e) {
                        return FileVisitResult.CONTINUE;
                    }
                });
            } catch (IOException e) {
                // Unreadable folder: no evidence of contact from there.
            }
        }
        return Optional.ofNullable(newest[0]);
    }
}
