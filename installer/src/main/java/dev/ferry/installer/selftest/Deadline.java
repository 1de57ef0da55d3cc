package dev.ferry.installer.selftest;

import java.io.Closeable;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One check's time budget. Blocking socket calls get the remaining time as their own timeout; if a call still
 * hangs (a resolver, a peer that trickles bytes), the runner cuts the check by closing what it registered here,
 * and reports the step it was waiting for.
 */
final class Deadline {
    private final Duration timeout;
    private final long endNanos;
    private final List<Closeable> open = new CopyOnWriteArrayList<>();
    private volatile Step step = new Step(Stage.DNS, "starting", "rerun the self-test");

    /** What the check is waiting for, and what a technician should do if it never comes. */
    record Step(Stage stage, String waitingFor, String remedyIfStuck) {}

    Deadline(Duration timeout) {
        this.timeout = timeout;
        this.endNanos = System.nanoTime() + timeout.toNanos();
    }

    Duration timeout() {
        return timeout;
    }

    String seconds() {
        long ms = timeout.toMillis();
        return ms % 1000 == 0 ? (ms / 1000) + " s" : String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
    }

    /** Milliseconds left, at least 1 (0 would mean "forever" to a socket). */
    int remainingMillis() throws SocketTimeoutException {
        long left = (endNanos - System.nanoTime()) / 1_000_000;
        if (left <= 0) {
            throw new SocketTimeoutException("check timeout reached");
        }
        return (int) Math.min(Integer.MAX_VALUE, left);
    }

    void step(Stage stage, String waitingFor, String remedyIfStuck) {
        step = new Step(stage, waitingFor, remedyIfStuck);
    }

    Step step() {
        return step;
    }

    <T extends Closeable> T track(T resource) {
        open.add(resource);
        return resource;
    }

    /** Closes everything the check opened, which unblocks a thread stuck in a socket read. */
    void abort() {
        for (Closeable c : open) {
            try {
                c.close();
            } catch (IOException | RuntimeException ignored) {
                // Best effort: the check is already reported as timed out.
            }
        }
    }
}
