package dev.ferry.installer.transaction;

/** What step 7 does with the self-tests: run them and put everything back on failure (the default), keep, or skip. */
public enum SelfTestPolicy {
    /** A failure puts the previous state back: exit 7. */
    ROLL_BACK_ON_FAILURE,
    /** {@code --keep-on-selftest-failure}: a failure is kept and reported: exit 5. */
    KEEP_ON_FAILURE,
    /** {@code --skip-selftest}: hosts where the platform is unreachable by design; status says they were skipped. */
    SKIP;

    public static SelfTestPolicy of(boolean skip, boolean keepOnFailure) {
        return skip ? SKIP : keepOnFailure ? KEEP_ON_FAILURE : ROLL_BACK_ON_FAILURE;
    }

    boolean skips() {
        return this == SKIP;
    }

    boolean keepsFailure() {
        return this == KEEP_ON_FAILURE;
    }
}
