package dev.ferry.installer.preflight;

import dev.ferry.common.ExitCode;
import dev.ferry.common.Reason;
import dev.ferry.installer.check.Check;
import dev.ferry.installer.check.CheckReport;
import dev.ferry.installer.check.Result;
import java.util.List;
import java.util.Set;

/**
 * Turns a preflight report into an exit code, the same way for {@code preflight} and for install step 3: a failed
 * validity check ({@code token-window}, {@code bundle-expiry}, {@code sequence}) is exit 6, as SPEC section 1 lists
 * those under "outside a validity window"; any other failure is exit 4. When both kinds fail, 6 wins: no host
 * change can fix it, a new bundle or token is needed.
 */
public final class PreflightVerdict {
    public static final Set<String> VALIDITY_CHECKS = Set.of("token-window", "bundle-expiry", "sequence");

    private PreflightVerdict() {}

    public static ExitCode exitCode(CheckReport report) {
        if (report.passed()) {
            return ExitCode.OK;
        }
        return report.failures().stream().anyMatch(c -> VALIDITY_CHECKS.contains(c.id()))
                ? ExitCode.VALIDITY
                : ExitCode.PREFLIGHT;
    }

    /** The reason of a failed report: the first failed validity check's cause (token-expired...), else preflight-failed. */
    public static Reason reason(CheckReport report) {
        return report.failures().stream()
                .filter(c -> VALIDITY_CHECKS.contains(c.id()) && c.cause() != null)
                .map(c -> Reason.of(c.cause().id(), ExitCode.VALIDITY))
                .findFirst()
                .orElse(Reason.PREFLIGHT_FAILED);
    }

    /** {@code --ignore-preflight}: the named checks' failures become warnings. */
    public static CheckReport ignoring(CheckReport report, Set<String> ids) {
        List<Check> checks = report.checks().stream()
                .map(c -> ids.contains(c.id()) ? c.ignored() : c)
                .toList();
        return new CheckReport(checks);
    }

    /** The ids that were ignored and actually failed: worth a line in install.log. */
    public static List<String> ignoredFailures(CheckReport report, Set<String> ids) {
        return report.checks().stream()
                .filter(c -> c.result() == Result.FAIL && ids.contains(c.id()))
                .map(Check::id)
                .toList();
    }

    public static String summary(CheckReport report) {
        return "preflight failed: "
                + String.join(
                        ", ",
                        report.failures().stream()
                                .map(c -> c.id() + " (" + c.evidence() + ")")
                                .toList());
    }
}
