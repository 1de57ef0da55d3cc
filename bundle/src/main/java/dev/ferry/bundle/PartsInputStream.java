package dev.ferry.bundle;

import dev.ferry.common.ExitCode;
import dev.ferry.common.FerryException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;

/**
 * The parts of a split bundle read in order as one stream. Each part is hashed as it is read and, when it ends,
 * compared with the index (size and SHA-256): a damaged part is named at once ("part 3 of 5 (X.003): sha256
 * mismatch, copy it again"), before anything after it is read. {@link #explain} turns a failure further down (the
 * decoder or the tar reader choking on damaged bytes) into that same line when the part being read is the cause.
 */
final class PartsInputStream extends InputStream {
    private final Path folder;
    private final PartsIndex index;
    private int current = -1;
    private InputStream part;
    private MessageDigest digest;
    private long read;

    PartsInputStream(Path folder, PartsIndex index) {
        this.folder = folder;
        this.index = index;
    }

    static FerryException damaged(PartsIndex index, int i, String problem) {
        PartsIndex.Part part = index.parts().get(i);
        return new FerryException(
                ExitCode.VERIFICATION,
                "part " + (i + 1) + " of " + index.parts().size() + " (" + part.name() + "): " + problem
                        + ", copy it again");
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        while (true) {
            if (part == null && !nextPart()) {
                return -1;
            }
            int n = part.read(b, off, len);
            if (n > 0) {
                digest.update(b, off, n);
                read += n;
                if (read > index.parts().get(current).size()) {
                    throw damaged(index, current, "longer than the index says");
                }
                return n;
            }
            endPart();
        }
    }

    private boolean nextPart() throws IOException {
        if (current + 1 >= index.parts().size()) {
            return false;
        }
        current++;
        Path file = folder.resolve(index.parts().get(current).name());
        if (!Files.isRegularFile(file)) {
            throw damaged(index, current, "missing");
        }
        part = Files.newInputStream(file);
        digest = Sha256.digest();
        read = 0;
        return true;
    }

    /** The current part ended: it must be exactly what the index says. */
    private void endPart() throws IOException {
        PartsIndex.Part expected = index.parts().get(current);
        part.close();
        part = null;
        if (read != expected.size()) {
            throw damaged(index, current, "short: " + read + " bytes, the index says " + expected.size());
        }
        if (!Sha256.hex(digest).equals(expected.sha256())) {
            throw damaged(index, current, "sha256 mismatch");
        }
    }

    /**
     * After reading failed with {@code failure}: reads the rest of the part being read (the parts before it were
     * checked when they ended) and returns the part's own failure if that part is damaged, else {@code failure}.
     * Call only when nothing else reads this stream any more.
     */
    RuntimeException explain(RuntimeException failure) {
        if (part == null || failure.getMessage() != null && failure.getMessage().startsWith("part ")) {
            return failure;
        }
        try {
            byte[] buffer = new byte[1 << 16];
            int n;
            while ((n = part.read(buffer)) > 0) {
                digest.update(buffer, 0, n);
                read += n;
            }
            endPart();
            return failure;
        } catch (FerryException partFailure) {
            partFailure.addSuppressed(failure);
            return partFailure;
        } catch (IOException e) {
            return failure;
        }
    }

    @Override
    public void close() throws IOException {
        if (part != null) {
            part.close();
            part = null;
        }
    }
}
