package dev.ferry.bundle.trust;

import dev.ferry.common.ExitCode;
import dev.ferry.common.FerryException;
import dev.ferry.common.Reason;

/** A trust document that is not newer than the version in force: a repeat or a rollback (exit 6). */
public final class TrustRollbackException extends FerryException {
    /** A trust version older than, or the same as, the one in force. */
    public static final Reason REASON = Reason.of("trust-rollback", ExitCode.VALIDITY);

    private static final long serialVersionUID = 1L;
    private final long current;
    private final long found;

    public TrustRollbackException(String source, long current, long found) {
        super(
                REASON,
                source + ": trust version " + found
                        + (found == current
                                ? " is already in force (a repeat)"
                                : " is older than version " + current + " in force (a rollback)")
                        + "; only a newer version can be applied");
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
