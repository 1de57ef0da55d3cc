package dev.ferry.bundler.cli;

import dev.ferry.common.ExitCode;
import dev.ferry.common.FerryException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "profile", mixinStandardHelpOptions = true, description = "Show a resolved profile (after extends), secrets redacted.")
public final class ProfileCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new FerryException(ExitCode.INTERNAL, "'profile' is not built yet");
    }
}
