package dev.ferry.installer.service;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The real {@link CommandRunner}: starts the program with stdin closed, keeps at most {@link #DEFAULT_LIMIT} bytes
 * of each output stream (the rest is read and dropped so the program never blocks on a full pipe) and kills the
 * program and its children when the timeout passes.
 */
public final class ProcessCommandRunner implements CommandRunner {
    static final int DEFAULT_LIMIT = 64 * 1024;
    /** How long to wait for the output after the program ended: a child it left behind may hold the pipe open. */
    private static final long DRAIN_MILLIS = 500;

    private static final long KILL_WAIT_MILLIS = 2000;

    private final int limit;

    public ProcessCommandRunner() {
        this(DEFAULT_LIMIT);
    }

    ProcessCommandRunner(int limitBytes) {
        this.limit = limitBytes;
    }

    @Override
    public CommandResult run(List<String> command, Duration timeout) {
        Process process;
        try {
            process = new ProcessBuilder(WindowsCommandLine.forProcessBuilder(command))
                    .redirectInput(ProcessBuilder.Redirect.from(NullDevice.file()))
                    .start();
        } catch (IOException | RuntimeException e) {
            return new CommandResult(
                    CommandResult.NOT_FOUND, "", "cannot run " + command.get(0) + ": " + e.getMessage());
        }
        Capture out = Capture.start(process.getInputStream(), limit);
        Capture err = Capture.start(process.getErrorStream(), limit);
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                killTree(process);
                return new CommandResult(
                        CommandResult.TIMED_OUT,
                        out.text(),
                        err.text() + command.get(0) + " timed out after " + timeout.toSeconds() + " s\n");
            }
            return new CommandResult(process.exitValue(), out.text(), err.text());
        } catch (InterruptedException e) {
            killTree(process);
            Thread.currentThread().interrupt();
            return new CommandResult(CommandResult.TIMED_OUT, out.text(), err.text() + "interrupted\n");
        }
    }

    /** KILLs the program and everything it started, and waits (briefly) until they are gone. */
    private static void killTree(Process process) {
        List<ProcessHandle> tree = Stream.concat(Stream.of(process.toHandle()), process.descendants())
                .toList();
        tree.forEach(ProcessHandle::destroyForcibly);
        Processes.awaitExit(tree, Duration.ofMillis(KILL_WAIT_MILLIS));
    }

    /** Reads one stream on its own thread, keeping the first {@code limit} bytes. */
    private static final class Capture {
        private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
        private final Thread thread;
        private boolean truncated;

        private Capture(InputStream in, int limit) {
            thread = new Thread(() -> drain(in, limit), "command-output");
            thread.setDaemon(true);
        }

        static Capture start(InputStream in, int limit) {
            Capture capture = new Capture(in, limit);
            capture.thread.start();
            return capture;
        }

        private void drain(InputStream in, int limit) {
            byte[] buffer = new byte[8192];
            try (in) {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    synchronized (this) {
                        int room = limit - kept.size();
                        kept.write(buffer, 0, Math.max(0, Math.min(room, n)));
                        truncated |= n > room;
                    }
                }
            } catch (IOException e) {
                // The stream was closed under us (the process was killed): keep what was read.
            }
        }

        String text() {
            try {
                thread.join(DRAIN_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            synchronized (this) {
                String text = kept.toString(StandardCharsets.UTF_8);
                return truncated ? text + "\n[output truncated]\n" : text;
            }
        }
    }
}
