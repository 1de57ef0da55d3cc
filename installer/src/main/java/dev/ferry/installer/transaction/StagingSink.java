package dev.ferry.installer.transaction;

import dev.ferry.bundle.BundleLayout;
import dev.ferry.bundle.FileEntry;
import dev.ferry.bundle.PayloadSink;
import dev.ferry.common.FerryException;
import dev.ferry.installer.host.AtomicFiles;
import dev.ferry.installer.host.ReleaseManifest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Set;

/**
 * Streams each payload file into the staging folder under its path relative to {@code payload/}, with the
 * manifest's mode. The verifier already refuses unsafe paths; this sink refuses them again (defence in depth):
 * nothing may land outside the staging folder, whatever the bundle says.
 */
public final class StagingSink implements PayloadSink {
    /** Large writes: a 100 MiB file is a hundred system calls, not thousands; one buffer per install. */
    private static final int BUFFER = 1 << 20;

    private final Path staging;
    private final byte[] buffer = new byte[BUFFER];
    /** Folders this sink created or found and checked: thousands of files share a few folders. */
    private final Set<Path> checkedFolders = new HashSet<>();
    private Boolean posix;

    public StagingSink(Path staging) {
        this.staging = staging.toAbsolutePath().normalize();
    }

    @Override
    public void accept(FileEntry entry, InputStream content) throws IOException {
        Path target = target(entry.path());
        Path parent = target.getParent();
        if (!checkedFolders.contains(parent)) {
            Files.createDirectories(parent);
            refuseLinksOnTheWay(parent);
        }
        try (OutputStream out = createNew(target)) {
            for (int n; (n = content.read(buffer)) >= 0; ) {
                out.write(buffer, 0, n);
            }
        }
        if (posix == null) {
            // Asked once: looking up the file store reads the mount table, too slow for every file.
            posix = Files.getFileStore(staging).supportsFileAttributeView("posix");
        }
        if (posix) {
            Files.setPosixFilePermissions(target, AtomicFiles.permissions(mode(entry)));
        }
    }

    /** CREATE_NEW never follows a link planted at the target; a leftover of the same name is replaced. */
    private static OutputStream createNew(Path target) throws IOException {
        try {
            return Files.newOutputStream(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        } catch (FileAlreadyExistsException e) {
            Files.delete(target);
            return Files.newOutputStream(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        }
    }

    private static String mode(FileEntry entry) {
        return isSecret(entry.path()) ? "0600" : entry.mode() == null ? "0644" : entry.mode();
    }

    /** The staged path of a bundle path, or a verification error if it would leave the staging folder. */
    Path target(String bundlePath) {
        if (bundlePath == null || !bundlePath.startsWith(BundleLayout.PAYLOAD) || bundlePath.contains("\\")
                || bundlePath.contains("\0")) {
            throw unsafe(bundlePath);
        }
        String relative = bundlePath.substring(BundleLayout.PAYLOAD.length());
        Path target = staging.resolve(relative).normalize();
        if (relative.isEmpty() || relative.startsWith("/") || !target.startsWith(staging) || target.equals(staging)
                || target.equals(staging.resolve(ReleaseManifest.FILE))) {
            throw unsafe(bundlePath);
        }
        return target;
    }

    private void refuseLinksOnTheWay(Path dir) {
        for (Path p = dir; p.startsWith(staging) && !p.equals(staging) && !checkedFolders.contains(p); p = p.getParent()) {
            if (Files.isSymbolicLink(p) || !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                throw unsafe(staging.relativize(p).toString());
            }
        }
        for (Path p = dir; p.startsWith(staging) && !p.equals(staging); p = p.getParent()) {
            checkedFolders.add(p);
        }
    }

    private static boolean isSecret(String bundlePath) {
        return bundlePath.startsWith(BundleLayout.PAYLOAD + "secrets/");
    }

    private static FerryException unsafe(String path) {
        return FerryException.verification("unsafe payload path '" + path + "': it would be written outside the staging folder");
    }
}
