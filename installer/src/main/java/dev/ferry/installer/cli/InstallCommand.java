package dev.ferry.installer.cli;

import dev.ferry.cli.ProgressDisplay;
import dev.ferry.installer.transaction.InstallRequest;
import dev.ferry.installer.transaction.InstallRequest.Mode;
import dev.ferry.installer.transaction.InstallRequest.PreflightOptions;
import dev.ferry.installer.transaction.InstallTransaction;
import dev.ferry.installer.transaction.SelfTestPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = InstallCommand.NAME,
        mixinStandardHelpOptions = true,
        description = {
            "Preflight, verify, install, start and self-test a bundle; roll back on failure.",
            "A higher sequence than installed is an upgrade; the installed release again is a no-op (see reinstall)."
        })
public final class InstallCommand implements Callable<Integer> {
    static final String NAME = "install";

    @Mixin
    HostOptions host;

    @Mixin
    TransactionOptions txn;

    @Spec
    CommandSpec spec;

    @Option(names = "--bundle", required = true, paramLabel = "FILE", description = "The bundle to install.")
    Path bundle;

    @Option(names = "--allow-downgrade", description = "Install a lower sequence than installed.")
    boolean allowDowngrade;

    @Override
    public Integer call() {
        return run(spec, host, txn, bundle, Mode.INSTALL, allowDowngrade);
    }

    static int run(
            CommandSpec spec,
            HostOptions host,
            TransactionOptions txn,
            Path bundle,
            Mode mode,
            boolean allowDowngrade) {
        HostRuntime rt = new HostRuntime(host);
        var request = new InstallRequest(
                bundle,
                mode,
                new PreflightOptions(new HashSet<>(txn.ignorePreflight), allowDowngrade),
                SelfTestPolicy.of(txn.skipSelftest, txn.keepOnSelftestFailure));
        Duration timeout = txn.selftestTimeoutSeconds == null ? null : Duration.ofSeconds(txn.selftestTimeoutSeconds);
        try (ProgressDisplay progress =
                ProgressDisplay.of(mode == Mode.REINSTALL ? "reinstall" : "install", !txn.json)) {
            var transaction = new InstallTransaction(rt.setup(timeout), rt.bundles(txn.trust, progress), rt::preflight);
            return OutcomePrinter.print(spec, transaction.run(request), txn.json);
        }
    }

    /** The options install and reinstall share. */
    public static final class TransactionOptions {
        @Option(
                names = "--trust",
                paramLabel = "PUB",
                description = "A trusted public key (repeatable), besides <root>/etc/ferry/trust.d/*.pub.pem.")
        List<Path> trust = new ArrayList<>();

        @Option(
                names = "--ignore-preflight",
                split = ",",
                paramLabel = "CHECK",
                description =
                        "Turn these preflight checks' failures into warnings (comma-separated ids, e.g. disk,clock).")
        List<String> ignorePreflight = new ArrayList<>();

        @Option(
                names = "--keep-on-selftest-failure",
                description = "Keep the new install when self-tests fail (exit 5) instead of rolling back (exit 7).")
        boolean keepOnSelftestFailure;

        @Option(
                names = "--skip-selftest",
                description =
                        "Do not run the self-tests (hosts where the platform is unreachable by design); status says they were skipped.")
        boolean skipSelftest;

        @Option(names = "--json", description = "Print the outcome as one JSON document on stdout.")
        boolean json;

        @Option(
                names = "--selftest-timeout",
                paramLabel = "S",
                description = "One timeout in seconds for every self-test check (default: each target's, else 5).")
        Integer selftestTimeoutSeconds;
    }
}
