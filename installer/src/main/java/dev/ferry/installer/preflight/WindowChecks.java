package dev.ferry.installer.preflight;

import dev.ferry.bundle.Manifest;
import dev.ferry.bundle.TokenInfo;
import dev.ferry.installer.check.Cause;
import dev.ferry.installer.check.Check;
import dev.ferry.installer.host.InstallState;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;

/** The time and order checks: {@code token-window}, {@code bundle-expiry}, {@code sequence}. All take "now". */
public final class WindowChecks {
    public static final String REGISTER_REMEDY =
            "regenerate the token on the platform and run installer register --token FILE";

    private WindowChecks() {}

    public static Check tokenWindow(TokenInfo token, Instant now) {
        return tokenWindow(token, now, Set.of());
    }

    /** @param revokedTokens the token ids the trust document in force revokes (SPEC section 10) */
    public static Check tokenWindow(TokenInfo token, Instant now, Set<String> revokedTokens) {
        if (token != null && token.id() != null && revokedTokens.contains(token.id())) {
            return Check.fail(
                    "token-window",
                    Cause.TOKEN_REVOKED,
                    "token " + token.id() + " is revoked by the trust document in force",
                    REGISTER_REMEDY,
                    0);
        }
        if (token == null || token.notAfter() == null) {
            return Check.skip("token-window", "no token window to check", 0);
        }
        if (token.notBefore() != null && now.isBefore(token.notBefore())) {
            return Check.fail(
                    "token-window",
                    Cause.TOKEN_NOT_YET_VALID,
                    "token" + id(token) + " is valid from " + token.notBefore() + " (in "
                            + human(Duration.between(now, token.notBefore())) + "); now is " + now,
                    "check the host clock; if it is right, wait until " + token.notBefore() + " or " + REGISTER_REMEDY,
                    0);
        }
        if (!now.isBefore(token.notAfter())) {
            return Check.fail(
                    "token-window",
                    Cause.TOKEN_EXPIRED,
                    "token" + id(token) + " expired at " + token.notAfter() + "; now is " + now,
                    REGISTER_REMEDY,
                    0);
        }
        return Check.pass(
                "token-window",
                "token" + id(token) + " valid until " + token.notAfter() + " (" + daysLeft(token.notAfter(), now)
                        + " days left)",
                0);
    }

    public static Check bundleExpiry(Manifest bundle, InstallState state, Instant now) {
        Instant expires = bundle != null
                ? bundle.expiresAt()
                : state != null && state.current() != null ? state.current().bundleExpiresAt() : null;
        if (expires == null) {
            return Check.skip("bundle-expiry", "no bundle to check", 0);
        }
        if (!now.isBefore(expires)) {
            String evidence = "bundle expired at " + expires + "; now is " + now;
            // An installed bundle that expired keeps running; only installing an expired bundle is refused.
            return bundle != null
                    ? Check.fail(
                            "bundle-expiry",
                            Cause.BUNDLE_EXPIRED,
                            evidence,
                            "build a fresh bundle with bundler create and carry it across",
                            0)
                    : Check.warn(
                            "bundle-expiry",
                            Cause.BUNDLE_EXPIRED,
                            "installed " + evidence,
                            "build a fresh bundle before the next reinstall or upgrade",
                            0);
        }
        return Check.pass(
                "bundle-expiry", "bundle valid until " + expires + " (" + daysLeft(expires, now) + " days left)", 0);
    }

    public static Check sequence(Manifest bundle, InstallState state, boolean allowDowngrade) {
        if (bundle == null) {
            return Check.skip("sequence", "no bundle to compare", 0);
        }
        if (state == null || state.current() == null) {
            return Check.pass("sequence", "sequence " + bundle.sequence() + "; nothing installed", 0);
        }
        long installed = state.current().sequence();
        String evidence = "bundle sequence " + bundle.sequence() + " (" + bundle.version() + "), installed " + installed
                + " (" + state.current().version() + ")";
        if (bundle.sequence() >= installed) {
            return Check.pass("sequence", evidence, 0);
        }
        return allowDowngrade
                ? Check.warn(
                        "sequence",
                        Cause.SEQUENCE_ROLLBACK,
                        evidence + "; downgrade allowed by --allow-downgrade",
                        null,
                        0)
                : Check.fail(
                        "sequence",
                        Cause.SEQUENCE_ROLLBACK,
                        evidence + ": an older bundle than installed",
                        "use installer rollback to return to the previous release, or pass --allow-downgrade if this is intended",
                        0);
    }

    public static long daysLeft(Instant until, Instant now) {
        return Duration.between(now, until).toDays();
    }

    private static String id(TokenInfo token) {
        return token.id() == null ? "" : " " + token.id();
    }

    private static String human(Duration d) {
        return d.toDays() > 0
                ? d.toDays() + " days"
                : d.toHours() > 0 ? d.toHours() + " hours" : d.toMinutes() + " minutes";
    }
}
