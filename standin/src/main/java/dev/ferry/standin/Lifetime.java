package dev.ferry.standin;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * When the stand-in stops, so that it is never left running: when its stdin closes (the process that started it
 * went away), at the latest after a fixed time, or on SIGTERM (the JVM's shutdown hooks, see PlatformStandIn).
 */
final class Lifetime {
    private final CountDownLatch ended = new CountDownLatch(1);
    private volatile String reason = "";

    /** Watches {@code stdin} on a daemon thread: end of input (or an error reading it) ends the lifetime. */
    Lifetime watching(InputStream stdin) {
        Thread watcher = new Thread(
                () -> {
                    try {
                        byte[] buffer = new byte[256];
                        while (stdin.read(buffer) >= 0) {
                            // Input is ignored: only its end matters.
                        }
                    } catch (IOException e) {
                        // An unreadable stdin counts as closed.
                    }
                    end("stdin closed");
                },
                "standin-stdin");
        watcher.setDaemon(true);
        watcher.start();
        return this;
    }

    void end(String why) {
        synchronized (this) {
            if (ended.getCount() > 0) {
                reason = why;
                ended.countDown();
            }
        }
    }

    /** Waits until the lifetime ends, or {@code max} passes; returns why it ended. */
    String await(Duration max) throws InterruptedException {
        if (!ended.await(max.toMillis(), TimeUnit.MILLISECONDS)) {
            end("--max-seconds " + max.toSeconds() + " reached");
        }
        return reason;
    }
}
