package dev.ferry.installer.check;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.ferry.common.Sanitizer;

/**
 * One check's result as SPEC section 6 prints it: a stable id ({@code disk}, {@code tls}, {@code target:ldap}),
 * the result, the classified cause (null when it passed), one line of evidence, and where it did not pass one
 * line of remedy a technician can act on.
 */
@JsonPropertyOrder({"id", "result", "cause", "evidence", "remedy", "ms"})
@JsonInclude(JsonInclude.Include.ALWAYS)
public record Check(String id, Result result, Cause cause, String evidence, String remedy, long ms) {
    /** Longer than a message value: evidence may quote a proxy's answer or a certificate's issuer. */
    private static final int MAX_EVIDENCE = 500;

    /**
     * Evidence and remedy quote what the network and the bundle said (a proxy's 407 answer, a target's banner, a
     * manifest's token id): made printable here, the one place every check passes, so no escape sequence reaches
     * a terminal, a log line or a JSON document.
     */
    public Check {
        evidence = evidence == null ? null : Sanitizer.printable(evidence, MAX_EVIDENCE);
        remedy = remedy == null ? null : Sanitizer.printable(remedy, MAX_EVIDENCE);
    }

    public static Check pass(String id, String evidence, long ms) {
        return new Check(id, Result.PASS, null, evidence, null, ms);
    }

    public static Check skip(String id, String evidence, long ms) {
        return new Check(id, Result.SKIP, null, evidence, null, ms);
    }

    public static Check warn(String id, Cause cause, String evidence, String remedy, long ms) {
        return new Check(id, Result.WARN, cause, evidence, remedy, ms);
    }

    public static Check fail(String id, Cause cause, String evidence, String remedy, long ms) {
        return new Check(id, Result.FAIL, cause, evidence, remedy, ms);
    }

    /** The same check with a failure turned into a warning, for {@code --ignore-preflight}. */
    public Check ignored() {
        return result == Result.FAIL
                ? new Check(id, Result.WARN, cause, evidence + " (ignored by --ignore-preflight)", remedy, ms)
                : this;
    }

    public Check withMs(long elapsed) {
        return new Check(id, result, cause, evidence, remedy, elapsed);
    }
}
