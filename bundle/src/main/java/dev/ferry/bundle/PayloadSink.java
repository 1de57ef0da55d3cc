package dev.ferry.bundle;

import java.io.IOException;
import java.io.InputStream;

/**
 * Receives each payload file while the verifier streams it. The stream yields the entry's bytes as they are read;
 * the verifier checks size and SHA-256 once the sink returns, and fails the whole bundle on a mismatch, so a sink
 * that writes (the installer's staging folder) must treat everything as untrusted until {@code verify} returns.
 */
@FunctionalInterface
public interface PayloadSink {
    void accept(FileEntry entry, InputStream content) throws IOException;

    /** Reads and checks every byte, keeps nothing: {@code verify}. */
    static PayloadSink discard() {
        // Larger than transferTo's 8 KiB: fewer calls through the tar reader and the digest. One per verify.
        byte[] buffer = new byte[1 << 16];
        return (entry, content) -> {
            while (content.read(buffer) >= 0) {
                // discarded
            }
        };
    }
}
