package dev.ferry.bundle.trust;

import dev.ferry.common.ExitCode;
import dev.ferry.common.FerryException;
import dev.ferry.common.Reason;

/** A registration token whose id the trust document in force revokes (exit 6). Only the id is named, never the token. */
public final class RevokedTokenException extends FerryException {
    /** A token whose id the trust document in force revokes. */
    public static final Reason REASON = Reason.of("token-revoked", ExitCode.VALIDITY);

    private static final long serialVersionUID = 1L;
    private final String tokenId;
    private final long version;

    public RevokedTokenException(String source, String tokenId, long version) {
        super(
                REASON,
                source + ": token " + tokenId + " is revoked by trust version " + version
                        + "; issue a new token and build a new bundle (or: installer register --token NEW)");
        this.tokenId = tokenId;
        this.version = version;
    }

    public String tokenId() {
        return tokenId;
    }

    public long version() {
        return version;
    }
}
