package dev.ferry.installer.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.cli.Json;
import dev.ferry.installer.preflight.WindowChecks;
import dev.ferry.installer.service.ServiceState;
import dev.ferry.installer.status.Status;
import dev.ferry.installer.status.StatusReport;
import dev.ferry.installer.trust.TrustStatus;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "status",
        mixinStandardHelpOptions = true,
        description = {
            "Report the installed release, service, token window, bundle expiry, last self-test, last agent contact and drift.",
            "Nothing installed is not an error: it says so (\"installed\": false) and exits 0."
        })
public final class StatusCommand implements Callable<Integer> {
    @Mixin
    HostOptions host;

    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "Print the status as one JSON document on stdout.")
    boolean json;

    @Override
    public Integer call() {
        HostRuntime rt = new HostRuntime(host);
        var paths = rt.agent().orElse(null);
        StatusReport r = paths == null
                ? StatusReport.notInstalled(null, null)
                : Status.of(paths, rt.serviceManager(paths.name()), rt.clock());
        TrustStatus trust = TrustStatus.of(
                rt.hostTrust(),
                r.token() == null ? null : r.token().id(),
                rt.clock().instant());
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            Json.print(out, withTrust(r, trust));
        } else {
            human(out, r, rt);
            out.printf("  trust:            %s%n", trust.describe());
            if (Boolean.TRUE.equals(trust.tokenRevoked())) {
                out.printf(
                        "  token %s is REVOKED by trust version %d: %s%n",
                        r.token().id(), trust.version(), WindowChecks.REGISTER_REMEDY);
            }
            out.flush();
        }
        return 0;
    }

    /** The status document with its {@code trust} part (SPEC section 10): {@code trust.version}, expiry, a revoked token. */
    static ObjectNode withTrust(StatusReport report, TrustStatus trust) {
        ObjectNode doc = Json.MAPPER.valueToTree(report);
        doc.set("trust", Json.MAPPER.valueToTree(trust));
        return doc;
    }

    /** " (unit activating (auto-restart), last exit exit-code, status=209/STDOUT, 3 restarts)" or " (unit active (running), main pid 42)". */
    private static String unit(StatusReport r) {
        if (r.unit() == null) {
            return "";
        }
        StringBuilder s = new StringBuilder(" (unit ").append(r.unit().managerState());
        if (r.unit().mainPid() != null) {
            s.append(", main pid ").append(r.unit().mainPid());
        }
        if (r.unit().lastExit() != null && r.service() != ServiceState.RUNNING) {
            s.append(", last exit ").append(r.unit().lastExit());
        }
        if (r.unit().restarts() != null && r.unit().restarts() > 0) {
            s.append(", ").append(r.unit().restarts()).append(r.unit().restarts() == 1 ? " restart" : " restarts");
        }
        return s.append(')').toString();
    }

    private static void human(PrintWriter out, StatusReport r, HostRuntime rt) {
        if (r.interrupted() != null) {
            out.println("WARNING: " + r.interrupted());
        }
        if (!r.installed()) {
            out.println((r.name() == null ? "no agent is installed under " : r.name() + " is not installed under ")
                    + rt.layout().root()
                    + (r.uninstalledAt() == null
                            ? ""
                            : " (uninstalled " + r.uninstalledAt() + "; config and data kept)"));
            return;
        }
        out.printf("%s %s (sequence %d), profile %s%n", r.name(), r.version(), r.sequence(), r.profile());
        out.printf("  service:          %s%s%n", r.service().id(), unit(r));
        if (r.token() != null) {
            out.printf(
                    "  token:            %s, valid %s .. %s (%d days left, from %s)%n",
                    r.token().valid() ? "valid" : "NOT VALID",
                    r.token().notBefore(),
                    r.token().notAfter(),
                    r.token().daysLeft(),
                    r.token().source());
        }
        out.printf(
                "  bundle:           expires %s (%d days left), sha256 %s%n",
                r.bundle().expiresAt(), r.bundle().daysLeft(), r.bundle().sha256());
        if (r.bundle().sbom() != null) {
            out.printf("  sbom:             %s%n", r.bundle().sbom());
        }
        out.printf(
                "  last self-test:   %s%n",
                r.selfTest() == null
                        ? "never"
                        : r.selfTest().result() + " at " + r.selfTest().at()
                                + (r.selfTest().failures() == null
                                                || r.selfTest().failures().isEmpty()
                                        ? ""
                                        : " (" + String.join(", ", r.selfTest().failures()) + ")"));
        out.printf("  last contact:     %s%n", r.lastAgentContact() == null ? "none seen" : r.lastAgentContact());
        out.printf("  previous release: %s%n", r.previousRelease() == null ? "none" : r.previousRelease());
        out.printf(
                "  drift:            %s%n",
                r.drift().isEmpty() ? "none (release intact)" : String.join(", ", r.drift()));
        if (r.deltaBases() != null) {
            for (StatusReport.DeltaBaseStatus base : r.deltaBases()) {
                out.printf(
                        "  delta base:       %s, manifest sha256 %s: %s%n",
                        base.release(),
                        base.manifestSha256(),
                        base.intact()
                                ? "intact, a delta built on it can apply"
                                : "drifted, reinstall it before a delta built on it");
            }
        }
        out.flush();
    }
}
