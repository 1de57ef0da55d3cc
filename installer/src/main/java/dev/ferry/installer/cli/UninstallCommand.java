package dev.ferry.installer.cli;

import dev.ferry.common.ExitCode;
import dev.ferry.common.FerryException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "uninstall", mixinStandardHelpOptions = true, description = "Remove the service and runtime; keep config and data unless --purge.")
public final class UninstallCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new FerryException(ExitCode.INTERNAL, "'uninstall' is not built yet");
    }
}
