package dev.ferry.bundler.cli;

import dev.ferry.bundle.trust.SignedTrust;
import dev.ferry.bundle.trust.TrustSummary;
import dev.ferry.cli.Json;
import dev.ferry.common.FerryException;
import dev.ferry.keys.SignatureCount;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "show", mixinStandardHelpOptions = true,
        description = "Version, expiry, thresholds, keys, revocations, and which signatures count.")
public final class TrustShowCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "FILE") Path file;

    @Option(names = "--previous", paramLabel = "FILE", description = "The version before: also count signatures by its root keys.")
    Path previous;

    @Option(names = "--json", description = "Print one JSON document on stdout.")
    boolean json;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        SignedTrust doc = SignedTrust.read(file);
        Map<String, SignatureCount> counts = new LinkedHashMap<>();
        Map<String, Integer> thresholds = new LinkedHashMap<>();
        if (previous != null) {
            SignedTrust prev = SignedTrust.read(previous);
            if (prev.version() + 1 != doc.version()) {
                throw FerryException.usage("--previous: " + previous + " is version " + prev.version() + ", not " + (doc.version() - 1));
            }
            counts.put("root keys of version " + prev.version(), doc.envelope().count(prev.document().rootKeysInForce()));
            thresholds.put("root keys of version " + prev.version(), prev.document().root().threshold());
        }
        counts.put("own root keys", doc.ownRootCount());
        thresholds.put("own root keys", doc.document().root().threshold());
        Map<String, Object> summary = TrustSummary.of(doc.document(), Clock.systemUTC().instant(), counts, thresholds);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            Json.print(out, summary);
        } else {
            TrustSummary.lines(summary).forEach(out::println);
            if (previous == null && doc.version() > 1) {
                out.println("           (signatures by version " + (doc.version() - 1) + "'s root keys: give --previous FILE)");
            }
            out.flush();
        }
        return 0;
    }
}
