package dev.ferry.bundler.cli;

import dev.ferry.common.ExitCode;
import dev.ferry.common.FerryException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "kit", mixinStandardHelpOptions = true, description = "Build the one file to carry across: installer image plus bundle in a self-extracting sh script.")
public final class KitCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new FerryException(ExitCode.INTERNAL, "'kit' is not built yet");
    }
}
