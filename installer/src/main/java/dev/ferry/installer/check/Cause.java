package dev.ferry.installer.check;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * Why a check did not pass. The first group is SPEC section 6's classification of connectivity failures; the rest
 * are added for the preflight checks and for the TLS failures a technician must tell apart.
 */
public enum Cause {
    DNS_FAILURE,
    REFUSED,
    TIMEOUT,
    TLS_INTERCEPTED,
    TLS_UNTRUSTED,
    PROXY_AUTH_REQUIRED,
    PROXY_REFUSED,
    HTTP_STATUS,
    CLOCK_SKEW,
    // Added to the SPEC's list.
    NO_ROUTE,
    TLS_EXPIRED,
    TLS_HOSTNAME_MISMATCH,
    PROTOCOL,
    UNSUPPORTED_OS,
    NOT_ADMIN,
    DISK_SPACE,
    SERVICE_MANAGER,
    TOKEN_EXPIRED,
    TOKEN_REVOKED,
    TOKEN_NOT_YET_VALID,
    BUNDLE_EXPIRED,
    SEQUENCE_ROLLBACK,
    /** A delta bundle's base release is not installed, is another build, or a reused file is damaged. */
    DELTA_BASE;

    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
