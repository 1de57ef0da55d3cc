package dev.ferry.bundler.cli;

import dev.ferry.common.ExitCode;
import dev.ferry.common.FerryException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "create", mixinStandardHelpOptions = true, description = "Build a signed, reproducible bundle from a profile.")
public final class CreateCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new FerryException(ExitCode.INTERNAL, "'create' is not built yet");
    }
}
