package dev.ferry.installer.cli;

import dev.ferry.common.ExitCode;
import dev.ferry.common.FerryException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "status", mixinStandardHelpOptions = true, description = "Report the installed release, service, token window, self-test and drift.")
public final class StatusCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new FerryException(ExitCode.INTERNAL, "'status' is not built yet");
    }
}
