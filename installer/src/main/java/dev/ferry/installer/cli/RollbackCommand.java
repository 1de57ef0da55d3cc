package dev.ferry.installer.cli;

import dev.ferry.installer.transaction.Rollback;
import dev.ferry.installer.transaction.SelfTestPolicy;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "rollback",
        mixinStandardHelpOptions = true,
        description = "Switch back to the previous kept release (a second rollback returns).")
public final class RollbackCommand implements Callable<Integer> {
    @Mixin
    HostOptions host;

    @Spec
    CommandSpec spec;

    @Option(names = "--skip-selftest", description = "Do not run the self-tests after switching.")
    boolean skipSelftest;

    @Option(names = "--json", description = "Print the outcome as one JSON document on stdout.")
    boolean json;

    @Override
    public Integer call() {
        HostRuntime rt = new HostRuntime(host);
        var paths = rt.requireAgent();
        return OutcomePrinter.print(
                spec, new Rollback(rt.setup(null)).run(paths, SelfTestPolicy.of(skipSelftest, false)), json);
    }
}
