package dev.ferry.installer.cli;

import dev.ferry.common.ExitCode;
import dev.ferry.common.FerryException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "selftest", mixinStandardHelpOptions = true, description = "Run the connectivity self-tests of the installed profile.")
public final class SelftestCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new FerryException(ExitCode.INTERNAL, "'selftest' is not built yet");
    }
}
