package dev.ferry.installer.cli;

import dev.ferry.bundle.trust.SignedTrust;
import dev.ferry.bundle.trust.TrustChain;
import dev.ferry.bundle.trust.TrustDocument;
import dev.ferry.bundle.trust.TrustSummary;
import dev.ferry.cli.Json;
import dev.ferry.cli.JsonOption;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(
        name = "show",
        mixinStandardHelpOptions = true,
        description =
                "The trust version in force: expiry, thresholds, key ids, revocations (--json: a top-level version field).")
public final class TrustShowCommand implements Callable<Integer> {
    @Mixin
    HostOptions host;

    @Spec
    CommandSpec spec;

    @Mixin
    JsonOption json;

    @Override
    public Integer call() {
        HostRuntime rt = new HostRuntime(host);
        PrintWriter out = spec.commandLine().getOut();
        Map<String, Object> summary = summary(rt);
        if (json.enabled()) {
            Json.print(out, summary);
        } else if (summary.get("version") == null) {
            out.println("no trust chain pinned in " + rt.hostTrust().dir() + ": v1 rules (--trust and "
                    + rt.layout().trustDir() + ")");
        } else {
            TrustSummary.lines(summary).forEach(out::println);
            out.println("chain      versions 1.." + summary.get("version") + " in "
                    + rt.hostTrust().dir());
        }
        out.flush();
        return 0;
    }

    /** What {@code trust show --json} prints; also what diagnose archives. {@code version} is null when none is pinned. */
    static Map<String, Object> summary(HostRuntime rt) {
        var loaded = rt.hostTrust().load();
        if (loaded.isEmpty()) {
            Map<String, Object> none = new LinkedHashMap<>();
            none.put("version", null);
            none.put("pinned", false);
            return none;
        }
        TrustChain chain = loaded.get();
        List<SignedTrust> versions = chain.versions();
        SignedTrust current = versions.get(versions.size() - 1);
        TrustDocument previous =
                versions.size() > 1 ? versions.get(versions.size() - 2).document() : null;
        Map<String, Object> summary = new LinkedHashMap<>(
                TrustSummary.of(current, previous, rt.clock().instant()));
        summary.put("pinned", true);
        return summary;
    }
}
