package dev.ferry.installer.status;

import dev.ferry.bundle.BundleLayout;
import dev.ferry.bundle.FileEntry;
import dev.ferry.bundle.Manifest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Drift (SPEC section 5): every file of a release whose bytes no longer match its manifest, or that is missing or
 * replaced by something that is not a regular file, as a path relative to the release ("runtime/bin/agent").
 * Hashes stream; a file is never read whole. {@code secrets/} are not in the release by design (the transaction
 * moves them to the config folder), so they are not drift.
 */
public final class Drift {
    private Drift() {}

    public static List<String> of(Path releaseDir, Manifest manifest) {
        List<String> drifted = new ArrayList<>();
        for (FileEntry f : manifest.files()) {
            String relative = f.path().substring(BundleLayout.PAYLOAD.length());
            if (relative.startsWith("secrets/")) {
                continue;
            }
            Path file = releaseDir.resolve(relative);
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)
                    || size(file) != f.size()
                    || !sha256(file).equals(f.sha256())) {
                drifted.add(relative);
            }
        }
        drifted.sort(null);
        return drifted;
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return -1;
        }
    }

    static String sha256(Path file) {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(OutputStream.nullOutputStream());
            return HexFormat.of()
                    .formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (IOException e) {
            return "unreadable";
        } catch (NoSuchAlgorithmException e) {
            throw new UncheckedIOException(new IOException(e));
        }
    }
}
