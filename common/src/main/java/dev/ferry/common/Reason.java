package dev.ferry.common;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A stable, machine-readable reason for a failure, carried by {@link FerryException} beside its exit code and printed
 * by {@code --json} as {@code {"error": {"exit": N, "reason": "...", "message": "..."}}}. Scripts and tests match the
 * code, never words of the message, so messages may be reworded freely; codes may be added, never renamed.
 *
 * <p>A value type, not an enum, so that a module adds its own reasons without touching this file:
 * {@code static final Reason THRESHOLD_NOT_MET = Reason.of("threshold-not-met", ExitCode.VERIFICATION);}. List a
 * new code in the README's exit-code table. The exit code here is the usual one for the reason; a
 * {@link FerryException} may carry another (a hash mismatch found while installing is still 3, but a failed
 * install that was undone is 7 with reason {@code rolled-back}).
 */
public record Reason(String code, ExitCode exit) {
    private static final Pattern CODE = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*");

    // ---- 1: a bug ----
    public static final Reason INTERNAL = of("internal", ExitCode.INTERNAL);

    // ---- 2: usage ----
    public static final Reason USAGE = of("usage", ExitCode.USAGE);
    /** An input file (profile, key, token, trust key, bundle path) that is missing, unreadable or invalid. */
    public static final Reason BAD_INPUT = of("bad-input", ExitCode.USAGE);

    // ---- 3: verification ----
    public static final Reason VERIFICATION_FAILED = of("verification-failed", ExitCode.VERIFICATION);
    public static final Reason NO_TRUSTED_KEY = of("no-trusted-key", ExitCode.VERIFICATION);
    public static final Reason SIGNATURE_MISSING = of("signature-missing", ExitCode.VERIFICATION);
    public static final Reason SIGNATURE_UNTRUSTED = of("signature-untrusted", ExitCode.VERIFICATION);
    /** A trusted key's signature that does not verify: the manifest was changed after signing. */
    public static final Reason SIGNATURE_INVALID = of("signature-invalid", ExitCode.VERIFICATION);
    /** A signature entry that is misnamed, of the wrong length, duplicated or one too many. */
    public static final Reason MALFORMED_SIGNATURE = of("malformed-signature", ExitCode.VERIFICATION);

    public static final Reason MALFORMED_MANIFEST = of("malformed-manifest", ExitCode.VERIFICATION);
    /** The zstd or tar structure: corrupt data, skippable frames, bad headers, hidden bytes, data after the end. */
    public static final Reason MALFORMED_ARCHIVE = of("malformed-archive", ExitCode.VERIFICATION);

    public static final Reason TRUNCATED = of("truncated", ExitCode.VERIFICATION);
    /** A path (declared or in the archive) that could escape, alias another or collide: traversal, absolute, ... */
    public static final Reason UNSAFE_PATH = of("unsafe-path", ExitCode.VERIFICATION);
    /** An archive entry that is not a regular file: links, devices, fifos, sparse or contiguous files. */
    public static final Reason UNSAFE_ENTRY = of("unsafe-entry", ExitCode.VERIFICATION);
    /** A setuid/setgid/world-writable mode, or an entry whose mode differs from the manifest's. */
    public static final Reason UNSAFE_MODE = of("unsafe-mode", ExitCode.VERIFICATION);
    /** A manifest field that reaches the host (name, service, user, template, exec, target...) is not safe to use. */
    public static final Reason UNSAFE_FIELD = of("unsafe-field", ExitCode.VERIFICATION);

    public static final Reason UNDECLARED_ENTRY = of("undeclared-entry", ExitCode.VERIFICATION);
    public static final Reason DUPLICATE_ENTRY = of("duplicate-entry", ExitCode.VERIFICATION);
    public static final Reason ENTRY_OUT_OF_ORDER = of("entry-out-of-order", ExitCode.VERIFICATION);
    public static final Reason MISSING_ENTRY = of("missing-entry", ExitCode.VERIFICATION);
    public static final Reason SIZE_MISMATCH = of("size-mismatch", ExitCode.VERIFICATION);
    public static final Reason HASH_MISMATCH = of("hash-mismatch", ExitCode.VERIFICATION);
    /**
     * A secret file whose bytes are not the ones its digest binds (or larger than a secret may be), or a binding key
     * that is not the signed one.
     */
    public static final Reason SECRET_MISMATCH = of("secret-mismatch", ExitCode.VERIFICATION);
    /** A delta bundle carries a file its manifest says comes from the base release (or the other way round). */
    public static final Reason DELTA_MISMATCH = of("delta-mismatch", ExitCode.VERIFICATION);

    // ---- 4, 5: the host and the network ----
    public static final Reason PREFLIGHT_FAILED = of("preflight-failed", ExitCode.PREFLIGHT);
    /**
     * The host refused a read or write (full or read-only disk, permissions, a planted link): not a bug, the message
     * names the path and the cause; exit 4 because the host is not fit for the command as it stands.
     */
    public static final Reason IO_ERROR = of("io-error", ExitCode.PREFLIGHT);

    public static final Reason SELFTEST_FAILED = of("selftest-failed", ExitCode.SELFTEST);

    // ---- 6: validity windows ----
    public static final Reason OUTSIDE_WINDOW = of("outside-window", ExitCode.VALIDITY);
    public static final Reason BUNDLE_EXPIRED = of("bundle-expired", ExitCode.VALIDITY);
    /** Created more than a day after this host's clock: the host clock (or the build machine's) is wrong. */
    public static final Reason BUNDLE_NOT_YET_VALID = of("bundle-not-yet-valid", ExitCode.VALIDITY);

    public static final Reason TOKEN_EXPIRED = of("token-expired", ExitCode.VALIDITY);
    public static final Reason TOKEN_NOT_YET_VALID = of("token-not-yet-valid", ExitCode.VALIDITY);
    public static final Reason SEQUENCE_ROLLBACK = of("sequence-rollback", ExitCode.VALIDITY);

    // ---- 7, 8: the transaction ----
    public static final Reason ROLLED_BACK = of("rolled-back", ExitCode.ROLLED_BACK);
    public static final Reason LOCKED = of("locked", ExitCode.LOCKED);

    public Reason {
        Objects.requireNonNull(exit, "exit");
        if (code == null || !CODE.matcher(code).matches()) {
            throw new IllegalArgumentException("a reason code is lowercase words joined by '-': " + code);
        }
    }

    public static Reason of(String code, ExitCode exit) {
        return new Reason(code, exit);
    }

    /** The reason of a failure that names only its exit code (code written before reasons existed). */
    public static Reason generic(ExitCode exit) {
        return switch (exit) {
            case OK, INTERNAL -> INTERNAL;
            case USAGE -> USAGE;
            case VERIFICATION -> VERIFICATION_FAILED;
            case PREFLIGHT -> PREFLIGHT_FAILED;
            case SELFTEST -> SELFTEST_FAILED;
            case VALIDITY -> OUTSIDE_WINDOW;
            case ROLLED_BACK -> ROLLED_BACK;
            case LOCKED -> LOCKED;
        };
    }

    /** A failure for this reason with its usual exit code. */
    public FerryException failure(String message) {
        return new FerryException(this, message);
    }

    public FerryException failure(String message, Throwable cause) {
        return new FerryException(exit, this, message, cause);
    }

    @Override
    public String toString() {
        return code;
    }
}
