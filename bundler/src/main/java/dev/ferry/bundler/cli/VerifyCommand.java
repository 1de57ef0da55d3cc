package dev.ferry.bundler.cli;

import dev.ferry.bundle.BundleVerifier;
import dev.ferry.bundle.FileEntry;
import dev.ferry.bundle.Manifest;
import dev.ferry.bundle.PayloadSink;
import dev.ferry.bundle.VerifiedBundle;
import dev.ferry.cli.Json;
import dev.ferry.cli.ProgressDisplay;
import dev.ferry.keys.TrustedKeys;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code bundler verify BUNDLE --trust PUB [--trust PUB ...]}: the installer's checks (the same {@link BundleVerifier})
 * before a bundle is carried across. Only {@code --trust}: the connected side has no trust folder.
 */
@Command(
        name = "verify",
        mixinStandardHelpOptions = true,
        description =
                "Verify a bundle: the same checks as the installer's verify (signature, every file's hash, expiry, format).")
public final class VerifyCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "BUNDLE", description = "The bundle file (NAME-VERSION.bundle.tar.zst).")
    Path bundle;

    @Option(
            names = "--trust",
            paramLabel = "PUB",
            required = true,
            description = "A trusted public key (PEM); repeatable.")
    List<Path> trust;

    @Option(names = "--json", description = "Print what was verified (or the error) as one JSON document on stdout.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        TrustedKeys trusted = TrustedKeys.load(trust, List.of());
        VerifiedBundle verified;
        try (ProgressDisplay progress = ProgressDisplay.of("verify", !json)) {
            verified = new BundleVerifier(trusted, Clock.systemUTC()).verify(bundle, PayloadSink.discard(), progress);
        }
        if (json) {
            Json.print(spec.commandLine().getOut(), verified.summary());
            return 0;
        }
        Manifest m = verified.manifest();
        long bytes = m.files().stream().mapToLong(FileEntry::publishedSize).sum();
        PrintWriter out = spec.commandLine().getOut();
        out.printf(
                "verified: %s %s (sequence %d), signed by %s, %d files, %d bytes%n",
                m.name(),
                m.version(),
                m.sequence(),
                String.join(", ", verified.signerKeyIds()),
                m.files().size(),
                bytes);
        out.flush();
        return 0;
    }
}
