package dev.ferry.common;

/** The exit codes of both programs, as SPEC section 1 defines them. Scripts rely on these numbers. */
public enum ExitCode {
    OK(0, "success"),
    INTERNAL(1, "internal error (a bug: report it)"),
    USAGE(2, "usage error: bad flags, unreadable or invalid profile/input file"),
    VERIFICATION(
            3,
            "verification failed: malformed bundle, bad/untrusted/missing signature, hash or size mismatch, unsafe entry"),
    PREFLIGHT(4, "preflight failed"),
    SELFTEST(5, "self-test failed"),
    VALIDITY(
            6,
            "outside a validity window: bundle expired, token expired or not yet valid, rollback to an older sequence"),
    ROLLED_BACK(7, "install failed and was rolled back: the previous install is intact"),
    LOCKED(8, "another install is in progress on this host");

    private final int code;
    private final String meaning;

    ExitCode(int code, String meaning) {
        this.code = code;
        this.meaning = meaning;
    }

    public int code() {
        return code;
    }

    public String meaning() {
        return meaning;
    }
}
