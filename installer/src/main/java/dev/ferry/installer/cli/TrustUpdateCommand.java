package dev.ferry.installer.cli;

import dev.ferry.bundle.trust.SignedTrust;
import dev.ferry.bundle.trust.TrustChain;
import dev.ferry.installer.host.HostLock;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "update",
        mixinStandardHelpOptions = true,
        description =
                "Applies newer trust versions in order, each kept as soon as it is accepted. Works on a host whose"
                        + " trust has expired: that is how it is repaired.")
public final class TrustUpdateCommand implements Callable<Integer> {
    @Mixin
    HostOptions host;

    @Spec
    CommandSpec spec;

    @Option(
            names = "--file",
            required = true,
            paramLabel = "FILE",
            description = "The next version (repeatable, oldest first).")
    List<Path> files;

    @Override
    public Integer call() {
        HostRuntime rt = new HostRuntime(host);
        List<SignedTrust> documents = files.stream().map(SignedTrust::read).toList();
        TrustChain chain;
        try (HostLock lock = HostLock.acquire(rt.layout().lockFile())) {
            long before = rt.hostTrust().requirePinned().version();
            chain = rt.hostTrust().update(documents);
            spec.commandLine()
                    .getOut()
                    .println("trust version " + before + " -> " + chain.version() + "; expires "
                            + chain.current().expiresAt() + "; revoked keys: "
                            + chain.current().revokedKeys().size()
                            + ", revoked tokens: "
                            + chain.current().revokedTokens().size());
        }
        return 0;
    }
}
