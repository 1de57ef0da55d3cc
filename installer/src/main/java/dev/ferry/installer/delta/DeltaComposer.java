package dev.ferry.installer.delta;

import dev.ferry.bundle.BundleLayout;
import dev.ferry.bundle.FileEntry;
import dev.ferry.bundle.Manifest;
import dev.ferry.bundle.PayloadSink;
import dev.ferry.common.ExitCode;
import dev.ferry.common.FerryException;
import dev.ferry.installer.transaction.CrashPoints;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Composes a delta's release in staging (SPEC section 11): every file marked {@code from: base} is copied from the
 * base release through the same staging sink the carried files went through (same modes, same path checks), hashed
 * on the way and compared with the new, verified manifest. A reused file that is missing or whose bytes differ
 * stops the install with exit 4 before anything is switched: the transaction deletes the staging folder.
 */
public final class DeltaComposer {
    private DeltaComposer() {}

    /**
     * @param verified the delta's manifest, signature and carried files verified
     * @param base the base release found by {@link BaseRelease#require}
     * @param staging where the carried files already are
     */
    public static void compose(Manifest verified, BaseRelease.Found base, PayloadSink staging) throws IOException {
        Path baseDir = base.dir().toRealPath();
        int copied = 0;
        for (FileEntry file : verified.files()) {
            if (!file.fromBase()) {
                continue;
            }
            String relative = file.path().substring(BundleLayout.PAYLOAD.length());
            Path source = baseDir.resolve(relative);
            MessageDigest sha256 = sha256();
            long size;
            try (InputStream raw = open(source, baseDir, relative, base.release());
                    CountingDigestStream in = new CountingDigestStream(raw, sha256)) {
                staging.accept(file, in);
                size = in.count;
            }
            if (size != file.size() || !HexFormat.of().formatHex(sha256.digest()).equals(file.sha256())) {
                throw damaged(relative, base.release(), size != file.size() ? "its size differs" : "its sha256 differs");
            }
            if (++copied == 1) {
                CrashPoints.reached(CrashPoints.DELTA_COMPOSING);
            }
        }
        CrashPoints.reached(CrashPoints.DELTA_COMPOSED);
    }

    /** Opens a base file, never through a link: the release folder is the installer's own, but trust nothing. */
    private static InputStream open(Path source, Path baseDir, String relative, String release) throws IOException {
        try {
            if (!Files.isRegularFile(source, LinkOption.NOFOLLOW_LINKS) || !source.getParent().toRealPath().startsWith(baseDir)) {
                throw damaged(relative, release, "it is missing or not a plain file");
            }
            return Files.newInputStream(source, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            throw damaged(relative, release, "it is missing");
        }
    }

    private static FerryException damaged(String relative, String release, String how) {
        return new FerryException(ExitCode.PREFLIGHT, "the delta reuses " + relative + " from the base release " + release
                + ", but " + how + ": " + BaseRelease.REMEDY);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** Hashes and counts what the sink reads. */
    private static final class CountingDigestStream extends DigestInputStream {
        long count;

        CountingDigestStream(InputStream in, MessageDigest digest) {
            super(in, digest);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }
    }
}
