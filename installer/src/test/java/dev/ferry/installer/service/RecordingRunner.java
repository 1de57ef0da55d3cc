package dev.ferry.installer.service;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;

/** A fake {@link CommandRunner} for tools that cannot run here: records each command line, answers from a script. */
final class RecordingRunner implements CommandRunner {
    final List<List<String>> commands = new ArrayList<>();
    private final Map<String, Queue<CommandResult>> answers = new HashMap<>();

    /** The next run of exactly this command line answers {@code result}; unscripted commands succeed silently. */
    RecordingRunner answer(String commandLine, CommandResult result) {
        answers.computeIfAbsent(commandLine, k -> new ArrayDeque<>()).add(result);
        return this;
    }

    RecordingRunner answer(String commandLine, int exitCode, String stdout) {
        return answer(commandLine, new CommandResult(exitCode, stdout, ""));
    }

    @Override
    public CommandResult run(List<String> command, Duration timeout) {
        commands.add(List.copyOf(command));
        Queue<CommandResult> queue = answers.get(String.join(" ", command));
        CommandResult next = queue == null ? null : queue.poll();
        return next != null ? next : new CommandResult(0, "", "");
    }
}
