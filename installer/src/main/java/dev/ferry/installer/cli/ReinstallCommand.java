package dev.ferry.installer.cli;

import dev.ferry.installer.transaction.InstallRequest.Mode;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "reinstall",
        mixinStandardHelpOptions = true,
        description =
                "Install the same version again: restore every drifted or missing file, re-render config, keep agent data.")
public final class ReinstallCommand implements Callable<Integer> {
    @Mixin
    HostOptions host;

    @Mixin
    InstallCommand.TransactionOptions txn;

    @Spec
    CommandSpec spec;

    @Option(
            names = "--bundle",
            required = true,
            paramLabel = "FILE",
            description = "The bundle of the installed release.")
    Path bundle;

    @Override
    public Integer call() {
        return InstallCommand.run(spec, host, txn, bundle, Mode.REINSTALL, false);
    }
}
