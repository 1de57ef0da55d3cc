package dev.ferry.installer.cli;

import dev.ferry.common.ExitCode;
import dev.ferry.common.FerryException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "reinstall", mixinStandardHelpOptions = true, description = "Install the same version again: repair a damaged install, keep agent data.")
public final class ReinstallCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new FerryException(ExitCode.INTERNAL, "'reinstall' is not built yet");
    }
}
