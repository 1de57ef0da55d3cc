package dev.ferry.installer.cli;

import dev.ferry.common.ExitCode;
import dev.ferry.common.FerryException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "diagnose", mixinStandardHelpOptions = true, description = "Write an escalation archive for support.")
public final class DiagnoseCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new FerryException(ExitCode.INTERNAL, "'diagnose' is not built yet");
    }
}
