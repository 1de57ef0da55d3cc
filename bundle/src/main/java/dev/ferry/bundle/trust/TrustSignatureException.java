package dev.ferry.bundle.trust;

import dev.ferry.common.ExitCode;
import dev.ferry.common.FerryException;
import dev.ferry.common.Reason;
import dev.ferry.keys.SignatureCount;

/**
 * Not enough signatures that count (exit 3): a trust document short of a root threshold, or a bundle short of the
 * release threshold. Names the document version whose keys were asked for and what did and did not count.
 */
public final class TrustSignatureException extends FerryException {
    /** Too few counted signatures of the role's keys (unknown, revoked, invalid or repeated ones never count). */
    public static final Reason REASON = Reason.of("threshold-not-met", ExitCode.VERIFICATION);

    private static final long serialVersionUID = 1L;
    private final String role;
    private final long keysOfVersion;
    private final int threshold;
    private final transient SignatureCount count;

    public TrustSignatureException(
            String source, String what, String role, long keysOfVersion, int threshold, SignatureCount count) {
        super(
                REASON,
                source + ": " + what + " is not signed by " + threshold + " " + role + " key(s) of trust version "
                        + keysOfVersion + ": " + count.describe(threshold));
        this.role = role;
        this.keysOfVersion = keysOfVersion;
        this.threshold = threshold;
        this.count = count;
    }

    public String role() {
        return role;
    }

    public long keysOfVersion() {
        return keysOfVersion;
    }

    public int threshold() {
        return threshold;
    }

    public SignatureCount count() {
        return count;
    }
}
