package dev.ferry.installer.cli;

import dev.ferry.cli.ErrorDocument;
import dev.ferry.cli.Json;
import dev.ferry.common.ExitCode;
import dev.ferry.common.Reason;
import dev.ferry.installer.check.CheckReport;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code preflight --json} and {@code selftest --json}: {@code {"checks": [...]}}, and when a check failed also the
 * {@code "error"} member every failed command's JSON carries.
 */
final class ReportJson {
    private ReportJson() {}

    static void print(PrintWriter out, CheckReport report, ExitCode exit, Reason reason, String message) {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("checks", report.checks());
        if (exit != ExitCode.OK) {
            document.put("error", ErrorDocument.of(exit, reason, message));
        }
        Json.print(out, document);
    }
}
