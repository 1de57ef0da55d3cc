package dev.ferry.bundler.cli;

import dev.ferry.bundle.trust.SignedTrust;
import dev.ferry.bundle.trust.TrustDocument;
import dev.ferry.bundler.trust.TrustDrafts;
import dev.ferry.bundler.trust.TrustFiles;
import dev.ferry.keys.PublicKeys;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "next",
        mixinStandardHelpOptions = true,
        description = "The next version of a trust document, unsigned. It needs the signatures of the current root"
                + " threshold AND of its own root threshold (a rotation needs old and new key holders).")
public final class TrustNextCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "FILE", description = "The current version.")
    Path current;

    @Option(names = "--out", required = true, paramLabel = "FILE2", description = "Where to write the next version.")
    Path out;

    @Option(names = "--add-root-key", paramLabel = "PUB")
    List<Path> addRoot = new ArrayList<>();

    @Option(names = "--remove-root-key", paramLabel = "KEYID")
    List<String> removeRoot = new ArrayList<>();

    @Option(names = "--add-release-key", paramLabel = "PUB")
    List<Path> addRelease = new ArrayList<>();

    @Option(names = "--remove-release-key", paramLabel = "KEYID")
    List<String> removeRelease = new ArrayList<>();

    @Option(names = "--root-threshold", paramLabel = "N")
    Integer rootThreshold;

    @Option(names = "--release-threshold", paramLabel = "M")
    Integer releaseThreshold;

    @Option(names = "--revoke-key", paramLabel = "KEYID", description = "Its signatures no longer count.")
    List<String> revokeKeys = new ArrayList<>();

    @Option(names = "--revoke-token", paramLabel = "ID", description = "A token id (jti) to refuse.")
    List<String> revokeTokens = new ArrayList<>();

    @Option(
            names = "--expires-days",
            paramLabel = "D",
            description = "Valid for D days from now (default: the later of the current expiry and "
                    + TrustDrafts.DEFAULT_EXPIRES_DAYS + " days).")
    Integer expiresDays;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        SignedTrust previous = SignedTrust.read(current);
        TrustDocument doc = TrustDrafts.next(
                previous,
                new TrustDrafts.Changes(
                        addRoot.stream().map(PublicKeys::read).toList(),
                        removeRoot,
                        addRelease.stream().map(PublicKeys::read).toList(),
                        removeRelease,
                        rootThreshold,
                        releaseThreshold,
                        revokeKeys,
                        revokeTokens,
                        expiresDays),
                Clock.systemUTC());
        TrustFiles.write(SignedTrust.unsigned(doc, out.toString()), out);
        spec.commandLine()
                .getOut()
                .println(out + ": trust version " + doc.version() + ", unsigned; needs "
                        + previous.document().root().threshold() + " signature(s) of version " + previous.version()
                        + "'s root keys and " + doc.root().threshold() + " of its own");
        return 0;
    }
}
