package dev.ferry.installer.service;

import java.time.Duration;
import java.util.List;

/**
 * Runs a host command and captures its output. The seam between the service managers and the host's tools
 * (systemctl, sc.exe), so tests can record the exact command lines where the real tool cannot run.
 */
public interface CommandRunner {
    /**
     * Runs {@code command} (argv, first element the program) and waits for it. Never throws for a command that
     * fails, cannot be started or times out: that is reported in the result (exit code 127 and -1, see
     * {@link CommandResult}), so every caller handles one kind of failure.
     */
    CommandResult run(List<String> command, Duration timeout);
}
