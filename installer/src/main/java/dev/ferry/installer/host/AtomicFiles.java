package dev.ferry.installer.host;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Set;

/**
 * Writes that survive a crash at any instant: a file is written beside its final place, flushed to disk, then
 * renamed over it; a symlink is swapped the same way. Readers see the old or the new content, never a half.
 */
public final class AtomicFiles {
    private static final SecureRandom RANDOM = new SecureRandom();

    private AtomicFiles() {}

    /** Writes {@code bytes} to {@code target} atomically; {@code mode} like "0640" or null to keep the default. */
    public static void write(Path target, byte[] bytes, String mode) throws IOException {
        Path dir = target.getParent();
        Files.createDirectories(dir);
        Path tmp = dir.resolve("." + target.getFileName() + ".tmp-" + randomSuffix());
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                    OutputStream out = java.nio.channels.Channels.newOutputStream(ch)) {
                // Restrict before the first byte lands, so a secret is never readable by others even briefly.
                setMode(tmp, mode);
                out.write(bytes);
                out.flush();
                ch.force(true);
            }
            move(tmp, target);
        } finally {
            Files.deleteIfExists(tmp);
        }
        syncDirectory(dir);
    }

    /** Points {@code link} at {@code relativeTarget} by renaming a fresh symlink over it. */
    public static void swapSymlink(Path link, Path relativeTarget) throws IOException {
        Path dir = link.getParent();
        Files.createDirectories(dir);
        Path tmp = dir.resolve(link.getFileName() + ".tmp-" + randomSuffix());
        try {
            Files.createSymbolicLink(tmp, relativeTarget);
            move(tmp, link);
        } finally {
            Files.deleteIfExists(tmp);
        }
        syncDirectory(dir);
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException | FileAlreadyExistsException e) {
            // Windows cannot replace an existing entry atomically in every case; a plain replace is the nearest.
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Persists a rename on filesystems that need the directory flushed; impossible (and unneeded) on some. */
    public static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Windows and some virtual filesystems cannot open a directory; the rename is still atomic there.
        }
    }

    public static void setMode(Path file, String mode) throws IOException {
        if (mode == null || !Files.getFileStore(file).supportsFileAttributeView("posix")) {
            return;
        }
        Files.setPosixFilePermissions(file, permissions(mode));
    }

    /** "0755" to permissions; only the rwx bits, never setuid, setgid or sticky. */
    public static Set<PosixFilePermission> permissions(String mode) {
        int bits = Integer.parseInt(mode, 8) & 0777;
        StringBuilder s = new StringBuilder();
        String rwx = "rwx";
        for (int i = 8; i >= 0; i--) {
            s.append((bits & (1 << i)) != 0 ? rwx.charAt(2 - i % 3) : '-');
        }
        return PosixFilePermissions.fromString(s.toString());
    }

    public static String randomSuffix() {
        byte[] b = new byte[6];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
