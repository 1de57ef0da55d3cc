package dev.ferry.installer.transaction;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * TEST ONLY, like {@code FERRY_TEST_NOW}: with env {@value #ENV}{@code =POINT} (and the test hooks on, see
 * {@link TestHooks}) the installer kills itself with
 * SIGKILL the moment a transaction reaches that named step, so end-to-end tests can prove that recovery (SPEC
 * section 5 step 2) handles a {@code kill -9} or a power cut at every step. Never set on a real host. Unset (the
 * normal case) every {@link #reached} is a no-op.
 *
 * <p>The kill is real: {@code kill -KILL <own pid>}, so no shutdown hook, no {@code finally}, no buffered write
 * happens after the point, exactly as for a kill from outside. {@code Runtime.halt(137)} is only the fallback.
 */
public final class CrashPoints {
    public static final String ENV = TestHooks.CRASH_ENV;

    /** The host lock is held; nothing else happened yet. */
    public static final String LOCKED = "lock.taken";
    /** Recovery undid an interrupted transaction but has not yet cleared its record in state.json. */
    public static final String RECOVERY_UNDONE = "recovery.undone";
    /** state.json records the STAGING phase; the staging folder may not exist yet. */
    public static final String STAGING_RECORDED = "staging.recorded";
    /** A delta's first reused file is copied from the base release into staging (SPEC section 11). */
    public static final String DELTA_COMPOSING = "delta.composing";
    /** Every reused file of a delta is copied and checked; the staging folder holds the whole release. */
    public static final String DELTA_COMPOSED = "delta.composed";
    /** The bundle is verified and unpacked in the staging folder. */
    public static final String STAGING_DONE = "staging.done";
    /** The config folder is backed up and state.json records the CONFIGURING phase. */
    public static final String CONFIG_BACKED_UP = "config.backed-up";
    /** Config, token and proxy settings are written (register: the new token). */
    public static final String CONFIG_WRITTEN = "config.written";
    /** The service (unit, registration) is written. */
    public static final String SERVICE_REGISTERED = "service.registered";
    /** state.json records the SWITCHED phase; no folder has moved yet. */
    public static final String SWITCH_RECORDED = "switch.recorded";
    /** reinstall: the existing release folder is set aside. */
    public static final String SWITCH_ASIDE = "switch.after-aside";
    /** The staging folder is renamed to releases/VERSION-SEQUENCE. */
    public static final String SWITCH_RENAMED = "switch.after-rename";
    /** {@code current} points at the new release. */
    public static final String SWITCH_LINKED = "switch.after-symlink";
    /** The service was restarted on the new state; the self-tests have not run. */
    public static final String RESTARTED = "service.restarted";
    /** The self-tests passed; the result is not recorded yet. */
    public static final String SELFTEST_PASSED = "selftest.passed";
    /** state.json records the committed result; old releases and the .txn backup are not cleaned yet. */
    public static final String COMMITTED = "commit.recorded";
    /** Cleaned up after the commit; the install.log line is not written yet. */
    public static final String CLEANED = "commit.cleaned";

    /** The steps of install and upgrade, in order ({@link #SWITCH_ASIDE} only when the release folder exists). */
    public static final List<String> INSTALL = List.of(
            LOCKED,
            STAGING_RECORDED,
            STAGING_DONE,
            CONFIG_BACKED_UP,
            CONFIG_WRITTEN,
            SERVICE_REGISTERED,
            SWITCH_RECORDED,
            SWITCH_RENAMED,
            SWITCH_LINKED,
            RESTARTED,
            SELFTEST_PASSED,
            COMMITTED,
            CLEANED);
    /** The steps of reinstall, in order. */
    public static final List<String> REINSTALL = List.of(
            LOCKED,
            STAGING_RECORDED,
            STAGING_DONE,
            CONFIG_BACKED_UP,
            CONFIG_WRITTEN,
            SERVICE_REGISTERED,
            SWITCH_RECORDED,
            SWITCH_ASIDE,
            SWITCH_RENAMED,
            SWITCH_LINKED,
            RESTARTED,
            SELFTEST_PASSED,
            COMMITTED,
            CLEANED);
    /** The steps of register, in order. */
    public static final List<String> REGISTER =
            List.of(LOCKED, CONFIG_BACKED_UP, CONFIG_WRITTEN, RESTARTED, SELFTEST_PASSED, COMMITTED);
    /** The steps of rollback, in order. */
    public static final List<String> ROLLBACK = List.of(
            LOCKED,
            CONFIG_BACKED_UP,
            CONFIG_WRITTEN,
            SERVICE_REGISTERED,
            SWITCH_RECORDED,
            SWITCH_LINKED,
            RESTARTED,
            SELFTEST_PASSED,
            COMMITTED);
    /** A trust version (SPEC section 10) is accepted and about to be written. */
    public static final String TRUST_BEFORE_WRITE = "trust.before-write";
    /** A trust version is written (renamed into place); the next one, if any, is not. */
    public static final String TRUST_AFTER_WRITE = "trust.after-write";
    /** The steps of writing one trust version (trust init/update, and install keeping a carried one). */
    public static final List<String> TRUST = List.of(TRUST_BEFORE_WRITE, TRUST_AFTER_WRITE);
    /** The steps of an upgrade from a delta bundle: the install's, with the composing steps in staging. */
    public static final List<String> DELTA_INSTALL = List.of(
            LOCKED,
            STAGING_RECORDED,
            DELTA_COMPOSING,
            DELTA_COMPOSED,
            STAGING_DONE,
            CONFIG_BACKED_UP,
            CONFIG_WRITTEN,
            SERVICE_REGISTERED,
            SWITCH_RECORDED,
            SWITCH_RENAMED,
            SWITCH_LINKED,
            RESTARTED,
            SELFTEST_PASSED,
            COMMITTED,
            CLEANED);
    /** Every point; {@link #RECOVERY_UNDONE} is reached by any transaction that finds an interrupted one. */
    public static final List<String> ALL = List.of(
            LOCKED,
            RECOVERY_UNDONE,
            STAGING_RECORDED,
            DELTA_COMPOSING,
            DELTA_COMPOSED,
            STAGING_DONE,
            CONFIG_BACKED_UP,
            CONFIG_WRITTEN,
            SERVICE_REGISTERED,
            SWITCH_RECORDED,
            SWITCH_ASIDE,
            SWITCH_RENAMED,
            SWITCH_LINKED,
            RESTARTED,
            SELFTEST_PASSED,
            COMMITTED,
            CLEANED,
            TRUST_BEFORE_WRITE,
            TRUST_AFTER_WRITE);

    /** Only when the test hooks are on ({@link TestHooks}): a stray variable on a real host kills nothing. */
    private static final String TARGET = TestHooks.current().crashAt().orElse(null);

    private CrashPoints() {}

    /** Dies here, by SIGKILL, if {@value #ENV} names {@code point}; otherwise returns at once. */
    public static void reached(String point) {
        if (TARGET == null || TARGET.isBlank()) {
            return;
        }
        if (!ALL.contains(point)) {
            throw new IllegalArgumentException(
                    "unknown crash point " + point); // a bug: every call names a listed point
        }
        if (!TARGET.strip().equals(point)) {
            return;
        }
        System.err.println("installer: " + ENV + "=" + point + ": killing myself with SIGKILL (test only)");
        System.err.flush();
        try {
            new ProcessBuilder(
                            "kill",
                            "-KILL",
                            Long.toString(ProcessHandle.current().pid()))
                    .inheritIO()
                    .start()
                    .waitFor(5, TimeUnit.SECONDS);
            Thread.sleep(5_000); // the signal is on its way; nothing may run meanwhile
        } catch (IOException e) {
            // no kill(1): halt below is the same for the file system
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Runtime.getRuntime().halt(137);
    }
}
