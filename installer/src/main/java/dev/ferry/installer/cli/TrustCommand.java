package dev.ferry.installer.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(
        name = "trust",
        mixinStandardHelpOptions = true,
        description =
                "The trust chain pinned on this host (SPEC section 10): pin version 1, apply newer versions, show.",
        subcommands = {TrustInitCommand.class, TrustUpdateCommand.class, TrustShowCommand.class})
public final class TrustCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "Missing subcommand: init, update or show");
    }
}
