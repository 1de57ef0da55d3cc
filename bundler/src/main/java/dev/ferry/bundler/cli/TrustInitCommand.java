package dev.ferry.bundler.cli;

import dev.ferry.bundle.trust.SignedTrust;
import dev.ferry.bundle.trust.TrustDocument;
import dev.ferry.bundler.trust.TrustDrafts;
import dev.ferry.bundler.trust.TrustFiles;
import dev.ferry.keys.PublicKeys;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "init",
        mixinStandardHelpOptions = true,
        description =
                "A new, unsigned trust document, version 1. Each root key holder then signs it: bundler trust sign.")
public final class TrustInitCommand implements Callable<Integer> {
    @Option(
            names = "--root-key",
            required = true,
            arity = "1..*",
            paramLabel = "PUB",
            description = "Root public keys (they sign the next versions).")
    List<Path> rootKeys;

    @Option(
            names = "--root-threshold",
            required = true,
            paramLabel = "N",
            description = "How many root keys must sign.")
    int rootThreshold;

    @Option(
            names = "--release-key",
            required = true,
            arity = "1..*",
            paramLabel = "PUB",
            description = "Release public keys (they sign bundles).")
    List<Path> releaseKeys;

    @Option(
            names = "--release-threshold",
            required = true,
            paramLabel = "M",
            description = "How many release keys must sign a bundle.")
    int releaseThreshold;

    @Option(
            names = "--expires-days",
            paramLabel = "D",
            description = "Valid for D days (default " + TrustDrafts.DEFAULT_EXPIRES_DAYS + ").")
    Integer expiresDays;

    @Option(
            names = "--out",
            required = true,
            paramLabel = "FILE",
            description = "Where to write it, e.g. 1.trust.json.")
    Path out;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        TrustDocument doc = TrustDrafts.init(
                rootKeys.stream().map(PublicKeys::read).toList(),
                rootThreshold,
                releaseKeys.stream().map(PublicKeys::read).toList(),
                releaseThreshold,
                expiresDays,
                Clock.systemUTC());
        TrustFiles.write(SignedTrust.unsigned(doc, out.toString()), out);
        spec.commandLine()
                .getOut()
                .println(out + ": trust version 1, unsigned; root " + rootThreshold + " of "
                        + doc.root().keys().size() + ", release " + releaseThreshold + " of "
                        + doc.release().keys().size()
                        + ", expires " + doc.expiresAt());
        return 0;
    }
}
