package dev.ferry.installer.selftest;

import dev.ferry.installer.check.Check;

/**
 * Turns a probe's failure into a check. A check that fails at an earlier step than its own (tls when dns failed)
 * is reported as {@code fail} with that step's root cause and remedy, and evidence saying it could not get as far
 * as its own step: the technician sees one cause everywhere and fixes it once.
 */
final class Outcomes {
    private Outcomes() {}

    static Check failed(String id, Stage own, ProbeFailure f) {
        String evidence = f.stage.ordinal() < own.ordinal()
                ? "not reached: the " + f.stage.label + " step failed: " + f.evidence
                : f.evidence;
        return Check.fail(id, f.cause, evidence, f.remedy, 0);
    }
}
