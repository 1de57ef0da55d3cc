package dev.ferry.installer.service;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Whether processes still run, in a way that also holds for processes that are not the JVM's children. */
final class Processes {
    private Processes() {}

    /**
     * Alive and not a zombie: a process that ended but was not yet reaped by its parent (often PID 1, which may
     * take its time in a container) no longer runs, though {@link ProcessHandle#isAlive()} still says so.
     */
    static boolean isRunning(ProcessHandle process) {
        if (!process.isAlive()) {
            return false;
        }
        try {
            String stat = Files.readString(Path.of("/proc/" + process.pid() + "/stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (IOException | RuntimeException e) {
            return process.isAlive(); // No /proc (macOS, Windows) or gone meanwhile.
        }
    }

    /**
     * Waits until none of {@code processes} runs. Polls rather than {@code onExit()}: for a process that is not
     * the JVM's child the JDK backs off to seconds between checks.
     */
    static boolean awaitExit(List<ProcessHandle> processes, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (processes.stream().anyMatch(Processes::isRunning)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }
}
