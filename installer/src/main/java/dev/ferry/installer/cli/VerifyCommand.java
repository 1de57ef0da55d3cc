package dev.ferry.installer.cli;

import dev.ferry.bundle.Manifest;
import dev.ferry.bundle.PayloadSink;
import dev.ferry.bundle.VerifiedBundle;
import dev.ferry.cli.Json;
import dev.ferry.cli.ProgressDisplay;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "verify",
        mixinStandardHelpOptions = true,
        description = "Verify a bundle's signature, every file's hash, expiry and format; extracts nothing.")
public final class VerifyCommand implements Callable<Integer> {
    @Mixin
    HostOptions host;

    @Spec
    CommandSpec spec;

    @Option(names = "--bundle", required = true, paramLabel = "FILE", description = "The bundle to verify.")
    Path bundle;

    @Option(
            names = "--trust",
            paramLabel = "PUB",
            description = "A trusted public key (repeatable), besides <root>/etc/ferry/trust.d/*.pub.pem.")
    List<Path> trust = new ArrayList<>();

    @Option(names = "--json", description = "Print what was verified (or the error) as one JSON document on stdout.")
    boolean json;

    @Override
    public Integer call() {
        HostRuntime rt = new HostRuntime(host);
        VerifiedBundle v;
        try (ProgressDisplay progress = ProgressDisplay.of("verify", !json)) {
            v = rt.verifier(trust, false).verify(bundle, PayloadSink.discard(), progress);
        }
        if (json) {
            Json.print(spec.commandLine().getOut(), v.summary());
            return 0;
        }
        Manifest m = v.manifest();
        spec.commandLine()
                .getOut()
                .printf(
                        "verified %s: %s %s (sequence %d), %d files, signed by %s, expires %s, sha256 %s%n",
                        bundle,
                        m.name(),
                        m.version(),
                        m.sequence(),
                        m.files().size(),
                        String.join(", ", v.signerKeyIds()),
                        m.expiresAt(),
                        v.sha256());
        return 0;
    }
}
