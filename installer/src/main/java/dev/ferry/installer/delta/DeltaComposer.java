package dev.ferry.installer.delta;

import dev.ferry.bundle.BundleLayout;
import dev.ferry.bundle.FileEntry;
import dev.ferry.bundle.Manifest;
import dev.ferry.bundle.Sha256;
import dev.ferry.common.ExitCode;
import dev.ferry.common.FerryException;
import dev.ferry.common.files.FileMode;
import dev.ferry.installer.transaction.CrashPoints;
import dev.ferry.installer.transaction.StagingSink;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;

/**
 * Composes a delta's release in staging (SPEC section 11): every file marked {@code from: base} is taken from the
 * base release into the place the staging sink prepares for it (same folders, same path checks): hard-linked when the
 * base file has the new mode already, else copied through the sink with the new mode; either way the staged file is
 * then hashed and compared with the new, verified manifest. A reused file that is missing or whose bytes differ
 * stops the install with exit 4 before anything is switched: the transaction deletes the staging folder.
 */
public final class DeltaComposer {
    private DeltaComposer() {}

    /**
     * @param verified the delta's manifest, signature and carried files verified
     * @param base the base release found by {@link BaseRelease#require}
     * @param staging where the carried files already are
     */
    public static void compose(Manifest verified, BaseRelease.Found base, StagingSink staging) throws IOException {
        Path baseDir = base.dir().toRealPath();
        // One buffer for every reused file: most are small, and a fresh megabyte each is zeroed for nothing.
        byte[] buffer = new byte[1 << 20];
        int copied = 0;
        for (FileEntry file : verified.files()) {
            if (!file.fromBase()) {
                continue;
            }
            String relative = file.path().substring(BundleLayout.PAYLOAD.length());
            Path source = baseDir.resolve(relative);
            try (InputStream raw = open(source, baseDir, relative, base.release())) {
                Path target = staging.prepare(file);
                if (!link(source, target, file)) {
                    staging.accept(file, raw);
                }
                checkStaged(target, file, relative, base.release(), buffer);
            }
            if (++copied == 1) {
                CrashPoints.reached(CrashPoints.DELTA_COMPOSING);
            }
        }
        CrashPoints.reached(CrashPoints.DELTA_COMPOSED);
    }

    /**
     * A hard link to the base's file when it already has the new manifest's mode (same file system: staging is
     * beside the base release): no byte written, nothing more to flush, which is most of what a delta saves on the
     * host. Releases never change their files in place (reinstall stages a new release), so sharing an inode between
     * two kept releases is safe; drift in one shows in both, and {@code status} reports it. False: copy instead.
     */
    private static boolean link(Path source, Path target, FileEntry file) {
        try {
            FileMode mode = FileMode.of(Files.getPosixFilePermissions(source, LinkOption.NOFOLLOW_LINKS));
            if (!mode.equals(StagingSink.modeOf(file))) {
                return false;
            }
            Files.createLink(target, source);
            return true;
        } catch (IOException | UnsupportedOperationException e) {
            return false; // another file system, no hard links there, a link count at its limit: copy
        }
    }

    /** The staged file, hashed: exactly the new manifest's bytes, or exit 4 (the transaction deletes staging). */
    private static void checkStaged(Path target, FileEntry file, String relative, String release, byte[] buffer)
            throws IOException {
        MessageDigest sha256 = Sha256.digest();
        long size = 0;
        try (InputStream in = Files.newInputStream(target, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                sha256.update(buffer, 0, n);
                size += n;
            }
        }
        if (size != file.size() || !Sha256.hex(sha256).equals(file.sha256())) {
            throw damaged(relative, release, size != file.size() ? "its size differs" : "its sha256 differs");
        }
    }

    /** Opens a base file, never through a link: the release folder is the installer's own, but trust nothing. */
    private static InputStream open(Path source, Path baseDir, String relative, String release) throws IOException {
        try {
            if (!Files.isRegularFile(source, LinkOption.NOFOLLOW_LINKS)
                    || !source.getParent().toRealPath().startsWith(baseDir)) {
                throw damaged(relative, release, "it is missing or not a plain file");
            }
            return Files.newInputStream(source, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            throw damaged(relative, release, "it is missing");
        }
    }

    private static FerryException damaged(String relative, String release, String how) {
        return new FerryException(
                ExitCode.PREFLIGHT,
                "the delta reuses " + relative + " from the base release " + release + ", but " + how + ": "
                        + BaseRelease.REMEDY);
    }
}
