package dev.ferry.installer.cli;

import dev.ferry.common.ExitCode;
import dev.ferry.common.FerryException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "install", mixinStandardHelpOptions = true, description = "Preflight, verify, install, start and self-test a bundle; roll back on failure.")
public final class InstallCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new FerryException(ExitCode.INTERNAL, "'install' is not built yet");
    }
}
