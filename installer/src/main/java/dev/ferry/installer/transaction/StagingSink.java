package dev.ferry.installer.transaction;

import dev.ferry.bundle.BundleLayout;
import dev.ferry.bundle.FileEntry;
import dev.ferry.bundle.PayloadSink;
import dev.ferry.common.FerryException;
import dev.ferry.common.files.AtomicWriter;
import dev.ferry.common.files.FileMode;
import dev.ferry.installer.host.ReleaseManifest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * Streams each payload file into the staging folder under its path relative to {@code payload/}, with the
 * manifest's mode. The verifier already refuses unsafe paths; this sink refuses them again (defence in depth):
 * nothing may land outside the staging folder, whatever the bundle says.
 *
 * <p>The staging folder is 0700 and every file and folder in it gets its mode in the create call, before its first
 * byte: a secret is 0600 from birth inside a folder no one else can enter, so nothing secret ever exists with wider
 * permissions, and the caller's umask decides nothing.
 */
public final class StagingSink implements PayloadSink, AutoCloseable {
    /** Large writes: a 100 MiB file is a hundred system calls, not thousands; one buffer per install. */
    private static final int BUFFER = 1 << 20;

    private static final String SECRETS = "secrets";

    private final Path staging;
    private final byte[] buffer = new byte[BUFFER];
    /** Folders this sink created or found and checked: thousands of files share a few folders. */
    private final Set<Path> checkedFolders = new HashSet<>();
    /** What the create call takes away from a mode in staging (the umask), learnt at the first file; -1 before. */
    private int narrowedBits = -1;
    /** Writes the files on threads of their own until {@link #finishWrites}; null: each is written in the call. */
    private StagingWriter writer;

    /** A sink that writes each file before {@link #accept} returns (a delta's reused files, tests). */
    public StagingSink(Path staging) {
        this.staging = staging.toAbsolutePath().normalize();
    }

    /**
     * A sink for a bundle's stream: {@link #accept} queues each file for the writer threads ({@link StagingWriter})
     * and returns once its bytes are read (and hashed by the verifier), so reading the next files overlaps writing
     * these. The files are on disk only after {@link #finishWrites}; {@link #close} stops the writers on the way out
     * of a failure.
     */
    public static StagingSink writingAhead(Path staging) throws IOException {
        StagingSink sink = new StagingSink(staging);
        // Learnt here, before the writers start: their create calls only read it.
        sink.narrowedBits = AtomicWriter.narrowedBits(sink.staging);
        sink.writer = new StagingWriter(sink.staging, sink::createNew);
        return sink;
    }

    @Override
    public void accept(FileEntry entry, InputStream content) throws IOException {
        Path target = prepare(entry);
        if (writer != null) {
            writer.write(target, mode(entry), content);
            return;
        }
        try (OutputStream out = Channels.newOutputStream(createNew(target, mode(entry)))) {
            for (int n; (n = content.read(buffer)) >= 0; ) {
                out.write(buffer, 0, n);
            }
        }
    }

    /**
     * Waits until every file accepted so far is written and closed, and throws what stopped the writers (a full
     * disk); from then on each file is written before {@link #accept} returns.
     */
    public void finishWrites() throws IOException {
        if (writer != null) {
            StagingWriter finishing = writer;
            writer = null;
            finishing.finish();
        }
    }

    /** Stops the writers without waiting for what they have not written: nothing lands in staging after this. */
    @Override
    public void close() throws IOException {
        if (writer != null) {
            StagingWriter stopping = writer;
            writer = null;
            stopping.close();
        }
    }

    /**
     * Where {@code entry} goes in staging, its folders created and checked (no link on the way), the file itself not
     * written: for a delta's reused files, which may be linked rather than written (installer/delta).
     */
    public Path prepare(FileEntry entry) throws IOException {
        Path target = target(entry.path());
        Path parent = target.getParent();
        if (!checkedFolders.contains(parent)) {
            createFolders(parent);
            refuseLinksOnTheWay(parent);
        }
        return target;
    }

    /** The mode {@link #accept} gives {@code entry}'s file. */
    public static FileMode modeOf(FileEntry entry) {
        return mode(entry);
    }

    /** The staging folder itself: 0700 under a releases folder that exists with its own mode. */
    public static void createStaging(Path releasesDir, Path staging) throws IOException {
        AtomicWriter.createFolders(releasesDir, FileMode.FOLDER);
        AtomicWriter.createFolder(staging, FileMode.PRIVATE_FOLDER);
        AtomicWriter.setMode(staging, FileMode.PRIVATE_FOLDER);
    }

    /** Folders of the payload: 0755, but {@code secrets/} 0700. */
    private void createFolders(Path dir) throws IOException {
        if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (dir.equals(staging)) {
            AtomicWriter.createFolders(staging, FileMode.PRIVATE_FOLDER);
            return;
        }
        createFolders(dir.getParent());
        AtomicWriter.createFolder(
                dir, dir.equals(staging.resolve(SECRETS)) ? FileMode.PRIVATE_FOLDER : FileMode.FOLDER);
    }

    /**
     * CREATE_NEW never follows a link planted at the target; a leftover of the same name is replaced. The mode is set
     * again after the create call only where the umask took bits away (thousands of files: three system calls each).
     */
    private FileChannel createNew(Path target, FileMode mode) throws IOException {
        if (narrowedBits < 0) {
            narrowedBits = AtomicWriter.narrowedBits(staging);
        }
        try {
            return AtomicWriter.createNew(target, mode, narrowedBits);
        } catch (FileAlreadyExistsException e) {
            Files.delete(target);
            return AtomicWriter.createNew(target, mode, narrowedBits);
        }
    }

    private static FileMode mode(FileEntry entry) {
        return isSecret(entry.path())
                ? FileMode.SECRET
                : entry.mode() == null ? FileMode.READABLE : FileMode.parse(entry.mode());
    }

    /** The staged path of a bundle path, or a verification error if it would leave the staging folder. */
    Path target(String bundlePath) {
        if (bundlePath == null
                || !bundlePath.startsWith(BundleLayout.PAYLOAD)
                || bundlePath.contains("\\")
                || bundlePath.contains("\0")) {
            throw unsafe(bundlePath);
        }
        String relative = bundlePath.substring(BundleLayout.PAYLOAD.length());
        Path target = staging.resolve(relative).normalize();
        if (relative.isEmpty()
                || relative.startsWith("/")
                || !target.startsWith(staging)
                || target.equals(staging)
                || target.equals(staging.resolve(ReleaseManifest.FILE))) {
            throw unsafe(bundlePath);
        }
        return target;
    }

    private void refuseLinksOnTheWay(Path dir) {
        for (Path p = dir;
                p.startsWith(staging) && !p.equals(staging) && !checkedFolders.contains(p);
                p = p.getParent()) {
            if (Files.isSymbolicLink(p) || !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                throw unsafe(staging.relativize(p).toString());
            }
        }
        for (Path p = dir; p.startsWith(staging) && !p.equals(staging); p = p.getParent()) {
            checkedFolders.add(p);
        }
    }

    private static boolean isSecret(String bundlePath) {
        return bundlePath.startsWith(BundleLayout.PAYLOAD + SECRETS + "/");
    }

    private static FerryException unsafe(String path) {
        return FerryException.verification(
                "unsafe payload path '" + path + "': it would be written outside the staging folder");
    }
}
