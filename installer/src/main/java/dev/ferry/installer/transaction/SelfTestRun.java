package dev.ferry.installer.transaction;

import dev.ferry.installer.check.Check;
import dev.ferry.installer.check.CheckReport;
import dev.ferry.installer.host.HostPaths;
import dev.ferry.installer.host.InstallState.SelfTestRecord;
import dev.ferry.profiles.Profile;
import java.time.Instant;
import java.util.List;

/** Step 7's self-test run, or its absence with {@code --skip-selftest} (recorded as "skipped" in the state). */
record SelfTestRun(CheckReport report, boolean skipped) {
    static SelfTestRun of(HostContext ctx, Profile profile, HostPaths paths, boolean skip) {
        return skip
                ? new SelfTestRun(null, true)
                : new SelfTestRun(ctx.connectivity().selfTest(profile, paths), false);
    }

    boolean passed() {
        return skipped || report.passed();
    }

    String failedIds() {
        return report == null
                ? ""
                : String.join(", ", report.failures().stream().map(Check::id).toList());
    }

    SelfTestRecord record(Instant at) {
        if (skipped) {
            return new SelfTestRecord(at, SelfTestRecord.SKIPPED, List.of());
        }
        return new SelfTestRecord(
                at,
                report.passed() ? SelfTestRecord.PASS : SelfTestRecord.FAIL,
                report.failures().stream().map(Check::id).toList());
    }
}
