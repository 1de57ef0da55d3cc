package dev.ferry.installer.cli;

import dev.ferry.installer.transaction.Uninstall;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "uninstall",
        mixinStandardHelpOptions = true,
        description = "Remove the service and runtime; keep config, agent data and logs unless --purge.")
public final class UninstallCommand implements Callable<Integer> {
    @Mixin
    HostOptions host;

    @Spec
    CommandSpec spec;

    @Option(names = "--purge", description = "Also remove the agent's config, data, state and logs.")
    boolean purge;

    @Override
    public Integer call() {
        HostRuntime rt = new HostRuntime(host);
        var paths = rt.agent().orElse(null);
        if (paths == null) {
            spec.commandLine()
                    .getOut()
                    .println("nothing is installed under " + rt.layout().root());
            return 0;
        }
        return OutcomePrinter.print(spec, new Uninstall(rt.setup(null)).run(paths, purge), false);
    }
}
