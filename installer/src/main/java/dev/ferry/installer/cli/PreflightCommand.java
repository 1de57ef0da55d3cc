package dev.ferry.installer.cli;

import dev.ferry.common.ExitCode;
import dev.ferry.common.FerryException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "preflight", mixinStandardHelpOptions = true, description = "Run the host checks alone (OS, privileges, clock, disk, service manager, token window).")
public final class PreflightCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new FerryException(ExitCode.INTERNAL, "'preflight' is not built yet");
    }
}
