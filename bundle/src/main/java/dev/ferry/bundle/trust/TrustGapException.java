package dev.ferry.bundle.trust;

import dev.ferry.common.ExitCode;
import dev.ferry.common.FerryException;
import dev.ferry.common.Reason;

/** A trust document that skips versions: only N+1 can be checked against N (exit 3). */
public final class TrustGapException extends FerryException {
    /** A trust version that does not follow the one in force. */
    public static final Reason REASON = Reason.of("trust-version-gap", ExitCode.VERIFICATION);

    private static final long serialVersionUID = 1L;
    private final long current;
    private final long found;

    public TrustGapException(String source, long current, long found) {
        super(
                REASON,
                source + ": trust version " + found + " does not follow version " + current
                        + " in force: apply version"
                        + (found - current > 2 ? "s " + (current + 1) + " to " + (found - 1) : " " + (current + 1))
                        + " first, in order");
        this.current = current;
        this.found = found;
    }

    public long current() {
        return current;
    }

    public long found() {
        return found;
    }
}
