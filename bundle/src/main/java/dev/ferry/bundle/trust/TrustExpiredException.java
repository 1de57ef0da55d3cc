package dev.ferry.bundle.trust;

import dev.ferry.common.ExitCode;
import dev.ferry.common.FerryException;
import dev.ferry.common.Reason;
import java.time.Instant;

/** The trust document in force is past its expiry: bundles are refused until a newer version is applied (exit 6). */
public final class TrustExpiredException extends FerryException {
    /** The trust document in force is past its expiry: carry a newer version. */
    public static final Reason REASON = Reason.of("trust-expired", ExitCode.VALIDITY);

    private static final long serialVersionUID = 1L;
    private final long version;
    private final Instant expiresAt;

    public TrustExpiredException(String source, long version, Instant expiresAt) {
        super(
                REASON,
                source + ": trust version " + version + " in force on this host expired on " + expiresAt
                        + "; carry a newer trust document: installer trust update --file " + (version + 1)
                        + ".trust.json"
                        + " (or a bundle made with --trust-chain)");
        this.version = version;
        this.expiresAt = expiresAt;
    }

    public long version() {
        return version;
    }

    public Instant expiresAt() {
        return expiresAt;
    }
}
