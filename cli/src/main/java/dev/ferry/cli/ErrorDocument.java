package dev.ferry.cli;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.ferry.common.ExitCode;
import dev.ferry.common.Reason;

/**
 * The {@code "error"} member of a failed command's {@code --json} document: the exit code, the stable reason code and
 * the one-line message. Transaction outcomes that fail carry the same member beside their own fields.
 */
@JsonPropertyOrder({"exit", "reason", "message"})
public record ErrorDocument(int exit, String reason, String message) {
    public static ErrorDocument of(ExitCode exit, Reason reason, String message) {
        return new ErrorDocument(exit.code(), reason.code(), message);
    }
}
