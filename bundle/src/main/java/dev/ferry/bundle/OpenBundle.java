package dev.ferry.bundle;

import dev.ferry.common.Progress;

/**
 * A bundle held open after its head was judged ({@link BundleVerifier#open}): the payload is then read from where the
 * head ended, so an install reads and checks the head once, and what it streams is the very file whose head it acted
 * on. Reading it is up to {@link #verify} or {@link #stream}, once; closing stops the reading thread.
 */
public final class OpenBundle implements AutoCloseable {
    private final BundleVerifier verifier;
    private final BundleInput in;
    private final BundleHead head;
    private final VerifiedHead verified;
    private final LateProgress progress;
    private boolean read;

    OpenBundle(BundleVerifier verifier, BundleInput in, BundleHead head, VerifiedHead verified, LateProgress progress) {
        this.verifier = verifier;
        this.in = in;
        this.head = head;
        this.verified = verified;
        this.progress = progress;
    }

    /** The judged head: the only manifest a host acts on before the payload is verified. */
    public VerifiedHead head() {
        return verified;
    }

    /**
     * The validity window, then every payload entry into {@code sink}, the secrets' digests included.
     *
     * @see BundleVerifier#verify
     */
    public VerifiedBundle verify(PayloadSink sink) {
        return read(sink, BundleVerifier.Pace.READ_ONLY).verdict();
    }

    /**
     * {@link #verify}, returning as soon as the last byte was read and checked but for the secrets, whose slow digests
     * (of a bundle made before the binding key) may still run: {@link StreamedBundle#verdict} before anything of the
     * bundle reaches the host.
     */
    public StreamedBundle stream(PayloadSink sink) {
        return read(sink, BundleVerifier.Pace.WRITING);
    }

    private StreamedBundle read(PayloadSink sink, BundleVerifier.Pace pace) {
        if (read) {
            throw new IllegalStateException("the payload of " + in.source() + " was read already");
        }
        read = true;
        progress.begin();
        return verifier.readPayload(in, head, verified, sink, pace);
    }

    @Override
    public void close() {
        in.close();
    }

    /**
     * The progress of the payload's pass: the head is read before anyone watches (a refusal at preflight draws no
     * bar), so its bytes are counted and handed over when the payload is read.
     */
    static final class LateProgress implements Progress {
        private final Progress watcher;
        private long total = -1;
        private long done;
        private boolean begun;

        LateProgress(Progress watcher) {
            this.watcher = watcher;
        }

        @Override
        public synchronized void total(long bytes) {
            total = bytes;
            if (begun) {
                watcher.total(bytes);
            }
        }

        @Override
        public synchronized void advance(long bytes) {
            done += bytes;
            if (begun) {
                watcher.advance(bytes);
            }
        }

        synchronized void begin() {
            begun = true;
            if (total >= 0) {
                watcher.total(total);
            }
            watcher.advance(done);
        }
    }
}
