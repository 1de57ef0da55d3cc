package dev.ferry.bundler.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(
        name = "trust",
        mixinStandardHelpOptions = true,
        description = "The key ceremony: make, sign and show trust documents (ferry-trust/1, SPEC section 10).",
        subcommands = {TrustInitCommand.class, TrustNextCommand.class, TrustSignCommand.class, TrustShowCommand.class})
public final class TrustCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "Missing subcommand: init, next, sign or show");
    }
}
