package dev.ferry.installer.cli;

import dev.ferry.common.ExitCode;
import dev.ferry.common.FerryException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "register", mixinStandardHelpOptions = true, description = "Swap in a new registration token, restart and re-test.")
public final class RegisterCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new FerryException(ExitCode.INTERNAL, "'register' is not built yet");
    }
}
