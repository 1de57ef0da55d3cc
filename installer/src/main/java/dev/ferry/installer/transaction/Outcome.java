package dev.ferry.installer.transaction;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.ferry.common.ExitCode;
import dev.ferry.common.Reason;
import dev.ferry.installer.check.CheckReport;
import dev.ferry.installer.preflight.PreflightVerdict;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a transaction command did, for the command line to print ({@code --json} prints this record).
 *
 * @param result installed, already-installed, reinstalled, rolled-back, registered, uninstalled, refused, failed...
 * @param message one line for the technician
 * @param notes what recovery or --ignore-preflight did, one line each
 *     <p>A failed outcome's JSON also carries {@code "error": {"exit", "reason", "message"}}, the member every failed
 *     command's {@code --json} document has, so scripts read one field whatever failed.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Outcome(
        @JsonIgnore ExitCode exit,
        String action,
        String result,
        String name,
        String version,
        Long sequence,
        String message,
        CheckReport preflight,
        CheckReport selftest,
        List<String> notes) {
    @JsonProperty("exitCode")
    public int exitCode() {
        return exit.code();
    }

    /** Why the command failed, or null on success: a failed validity check names its own reason (token-expired...). */
    @JsonIgnore
    public Reason reason() {
        if (exit == ExitCode.OK) {
            return null;
        }
        if (exit == ExitCode.VALIDITY && preflight != null) {
            return PreflightVerdict.reason(preflight);
        }
        return Reason.generic(exit);
    }

    @JsonProperty("error")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public Map<String, Object> error() {
        Reason reason = reason();
        if (reason == null) {
            return null;
        }
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("exit", exit.code());
        error.put("reason", reason.code());
        error.put("message", message);
        return error;
    }
}
