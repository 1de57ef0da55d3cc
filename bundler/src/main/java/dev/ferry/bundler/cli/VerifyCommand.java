package dev.ferry.bundler.cli;

import dev.ferry.common.ExitCode;
import dev.ferry.common.FerryException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "verify", mixinStandardHelpOptions = true, description = "Verify a bundle: the same checks as the installer's verify.")
public final class VerifyCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new FerryException(ExitCode.INTERNAL, "'verify' is not built yet");
    }
}
