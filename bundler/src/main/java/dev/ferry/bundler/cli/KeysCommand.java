package dev.ferry.bundler.cli;

import dev.ferry.common.ExitCode;
import dev.ferry.common.FerryException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "keys", mixinStandardHelpOptions = true, description = "Generate and show Ed25519 signing keys.")
public final class KeysCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new FerryException(ExitCode.INTERNAL, "'keys' is not built yet");
    }
}
