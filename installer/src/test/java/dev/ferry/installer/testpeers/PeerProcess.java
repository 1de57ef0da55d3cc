package dev.ferry.installer.testpeers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/** A stock server started as a child process on a loopback port; stopped (by its own pid) on close. */
public class PeerProcess implements AutoCloseable {
    private final Process process;
    private final Path log;

    PeerProcess(List<String> command, Path log, int port) {
        this.log = log;
        try {
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        awaitPort(port, Duration.ofSeconds(10));
    }

    private void awaitPort(int port, Duration max) {
        long end = System.nanoTime() + max.toNanos();
        while (System.nanoTime() < end) {
            if (!process.isAlive()) {
                throw new IllegalStateException("exited with " + process.exitValue() + ": " + logText());
            }
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                if (stillAliveAfterStart()) {
                    return; // answered, and not a stranger's listener: a daemon that lost the port exits at once
                }
            } catch (IOException notYet) {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
        close();
        throw new IllegalStateException("did not listen on " + port + ": " + logText());
    }

    private boolean stillAliveAfterStart() {
        try {
            return !process.waitFor(200, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Starts a daemon on a port it binds itself, trying again on another port when it could not (another test took
     * the port between choosing and binding it): up to five tries.
     */
    static <T extends PeerProcess> T startRetrying(IntFunction<T> onPort) {
        IllegalStateException last = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            try {
                return onPort.apply(SocketPeer.probablyFreePort());
            } catch (IllegalStateException e) {
                last = e;
            }
        }
        throw last;
    }

    public String logText() {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
