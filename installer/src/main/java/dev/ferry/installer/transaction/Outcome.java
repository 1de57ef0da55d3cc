package dev.ferry.installer.transaction;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.ferry.common.ExitCode;
import dev.ferry.installer.check.CheckReport;
import java.util.List;

/**
 * What a transaction command did, for the command line to print ({@code --json} prints this record).
 *
 * @param result installed, already-installed, reinstalled, rolled-back, registered, uninstalled, refused, failed...
 * @param message one line for the technician
 * @param notes what recovery or --ignore-preflight did, one line each
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
}
