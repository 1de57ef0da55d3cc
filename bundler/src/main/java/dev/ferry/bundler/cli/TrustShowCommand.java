package dev.ferry.bundler.cli;

import dev.ferry.bundle.trust.SignedTrust;
import dev.ferry.bundle.trust.TrustSummary;
import dev.ferry.cli.Json;
import dev.ferry.cli.JsonOption;
import dev.ferry.common.FerryException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "show",
        mixinStandardHelpOptions = true,
        description = "Version, expiry, thresholds, keys, revocations, and which signatures count.")
public final class TrustShowCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "FILE")
    Path file;

    @Option(
            names = "--previous",
            paramLabel = "FILE",
            description = "The version before: also count signatures by its root keys.")
    Path previous;

    @Mixin
    JsonOption json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        SignedTrust doc = SignedTrust.read(file);
        SignedTrust prev = previous == null ? null : SignedTrust.read(previous);
        if (prev != null && prev.version() + 1 != doc.version()) {
            throw FerryException.usage(
                    "--previous: " + previous + " is version " + prev.version() + ", not " + (doc.version() - 1));
        }
        Map<String, Object> summary = TrustSummary.of(
                doc, prev == null ? null : prev.document(), Clock.systemUTC().instant());
        PrintWriter out = spec.commandLine().getOut();
        if (json.enabled()) {
            Json.print(out, summary);
        } else {
            TrustSummary.lines(summary).forEach(out::println);
            if (previous == null && doc.version() > 1) {
                out.println("           (signatures by version " + (doc.version() - 1)
                        + "'s root keys: give --previous FILE)");
            }
            out.flush();
        }
        return 0;
    }
}
