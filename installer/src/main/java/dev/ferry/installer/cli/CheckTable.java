package dev.ferry.installer.cli;

import dev.ferry.cli.Terminal;
import dev.ferry.installer.check.Check;
import dev.ferry.installer.check.CheckReport;
import dev.ferry.installer.check.Result;
import java.io.PrintWriter;

/** The human table of a check run: one row per check, the remedy under each that did not pass, a summary line. */
public final class CheckTable {
    private CheckTable() {}

    public static void print(PrintWriter out, String title, CheckReport report) {
        int width = Math.max(
                8, report.checks().stream().mapToInt(c -> c.id().length()).max().orElse(0));
        out.println(title);
        for (Check c : report.checks()) {
            String mark = switch (c.result()) {
                case PASS -> Terminal.ok("pass");
                case WARN -> Terminal.warn("warn");
                case FAIL -> Terminal.error("FAIL");
                case SKIP -> "skip";
            };
            String cause = c.cause() == null ? "" : " [" + c.cause().id() + "]";
            out.printf("  %-" + width + "s  %s  %6d ms  %s%s%n", c.id(), mark, c.ms(), c.evidence(), cause);
            if (c.remedy() != null && c.result() != Result.PASS) {
                out.printf("  %-" + width + "s        fix: %s%n", "", c.remedy());
            }
        }
        long failed =
                report.checks().stream().filter(c -> c.result() == Result.FAIL).count();
        long warned =
                report.checks().stream().filter(c -> c.result() == Result.WARN).count();
        out.printf(
                "%d checks: %d passed, %d warnings, %d failed%n",
                report.checks().size(),
                report.checks().stream().filter(c -> c.result() == Result.PASS).count(),
                warned,
                failed);
        out.flush();
    }
}
