package dev.ferry.installer.transaction;

import dev.ferry.bundle.BundleLayout;
import dev.ferry.bundle.FileEntry;
import dev.ferry.bundle.PayloadSink;
import dev.ferry.common.FerryException;
import dev.ferry.installer.host.AtomicFiles;
import dev.ferry.installer.host.ReleaseManifest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Streams each payload file into the staging folder under its path relative to {@code payload/}, with the
 * manifest's mode. The verifier already refuses unsafe paths; this sink refuses them again (defence in depth):
 * nothing may land outside the staging folder, whatever the bundle says.
 */
public final class StagingSink implements PayloadSink {
    private final Path staging;

    public StagingSink(Path staging) {
        this.staging = staging.toAbsolutePath().normalize();
    }

    @Override
    public void accept(FileEntry entry, InputStream content) throws IOException {
        Path target = target(entry.path());
        Files.createDirectories(target.getParent());
        refuseLinksOnTheWay(target.getParent());
        Files.copy(content, target, StandardCopyOption.REPLACE_EXISTING);
        AtomicFiles.setMode(target, isSecret(entry.path()) ? "0600" : entry.mode() == null ? "0644" : entry.mode());
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
        for (Path p = dir; p.startsWith(staging) && !p.equals(staging); p = p.getParent()) {
            if (Files.isSymbolicLink(p) || !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                throw unsafe(staging.relativize(p).toString());
            }
        }
    }

    private static boolean isSecret(String bundlePath) {
        return bundlePath.startsWith(BundleLayout.PAYLOAD + "secrets/");
    }

    private static FerryException unsafe(String path) {
        return FerryException.verification("unsafe payload path '" + path + "': it would be written outside the staging folder");
    }
}
