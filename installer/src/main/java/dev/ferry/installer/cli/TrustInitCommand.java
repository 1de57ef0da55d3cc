package dev.ferry.installer.cli;

import dev.ferry.bundle.trust.SignedTrust;
import dev.ferry.bundle.trust.TrustChain;
import dev.ferry.installer.host.HostLock;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "init",
        mixinStandardHelpOptions = true,
        description = "Pins version 1 of a trust chain on this host: from now on bundles need its release threshold,"
                + " and --trust and trust.d/ are no longer used for bundles.")
public final class TrustInitCommand implements Callable<Integer> {
    @Mixin
    HostOptions host;

    @Spec
    CommandSpec spec;

    @Option(
            names = "--file",
            required = true,
            paramLabel = "FILE",
            description = "Version 1, signed by its root threshold.")
    Path file;

    @Override
    public Integer call() {
        HostRuntime rt = new HostRuntime(host);
        SignedTrust first = SignedTrust.read(file);
        TrustChain chain;
        try (HostLock lock = HostLock.acquire(rt.layout().lockFile())) {
            chain = rt.hostTrust().pin(first);
        }
        spec.commandLine()
                .getOut()
                .println("pinned trust version " + chain.version() + " in "
                        + rt.hostTrust().dir()
                        + ": bundles need " + chain.current().release().threshold() + " of "
                        + chain.current().release().keys().size()
                        + " release keys; expires " + chain.current().expiresAt());
        return 0;
    }
}
