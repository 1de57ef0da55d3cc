package dev.ferry.installer.selftest;

import dev.ferry.installer.check.Cause;

/** A classified failure of one probe step: the cause, one line of evidence and one line of remedy. */
final class ProbeFailure extends Exception {
    private static final long serialVersionUID = 1L;

    final Stage stage;
    final Cause cause;
    final String evidence;
    final String remedy;

    ProbeFailure(Stage stage, Cause cause, String evidence, String remedy) {
        super(cause.id() + ": " + evidence, null, false, false);
        this.stage = stage;
        this.cause = cause;
        this.evidence = evidence;
        this.remedy = remedy;
    }
}
