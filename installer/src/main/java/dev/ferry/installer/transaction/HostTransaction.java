package dev.ferry.installer.transaction;

import dev.ferry.common.ExitCode;
import dev.ferry.common.FerryException;
import dev.ferry.installer.check.CheckReport;
import dev.ferry.installer.host.HostLock;
import dev.ferry.installer.host.HostPaths;
import dev.ferry.installer.host.InstallState;
import dev.ferry.installer.host.InstallState.Pending;
import dev.ferry.installer.host.InstallState.Phase;
import dev.ferry.installer.host.LayoutGuard;
import dev.ferry.installer.host.StateStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The frame every host command that changes an agent shares (SPEC section 5), written once: the host lock (step 1),
 * recovery of an interrupted run (2), then the operation's own steps; for a {@link Change}, the pending record before
 * anything outside staging is written, the config backup, the switch, restart and self-test (7), undo of every
 * failure from that record, the commit (8) and the clean-up after it; and for every run the one install.log line and
 * the {@link Outcome}, filled from one place. Install, reinstall, register, rollback and uninstall supply only their
 * own steps ({@link Operation}).
 */
public final class HostTransaction {
    private final HostSetup setup;

    public HostTransaction(HostSetup setup) {
        this.setup = setup;
    }

    /** One command's own part of the frame. */
    public abstract static class Operation {
        /** install, reinstall, register, rollback or uninstall: the word in install.log and the outcome. */
        final String action;

        protected Operation(String action) {
            this.action = action;
        }

        /**
         * The agent this run acts on, decided under the lock before anything else: install verifies the bundle's
         * head here, so no name, path or endpoint of an unverified manifest is ever used.
         */
        protected abstract HostPaths agent();

        /** Whether every layout path is checked before anything is written (uninstall must work on a broken host). */
        protected boolean guardsLayout() {
            return true;
        }

        /** The recovered state this run starts from (read under the lock, after recovery). */
        protected InstallState state(HostPaths paths) {
            return StateStore.read(paths).orElse(InstallState.empty(paths.name()));
        }

        /** What is known before anything changes: a {@link Finish} ends the run here, a {@link Change} goes on. */
        protected abstract Next start(Frame frame) throws IOException;

        /** The release this run is about, as far as it is known now: for the log line and the outcome. */
        protected abstract Subject subject();
    }

    /** What the frame knows once the lock is held and recovery ran. */
    public record Frame(HostContext ctx, HostPaths paths, InstallState state, List<String> notes) {}

    /** The log line's and the outcome's facts about the release. */
    public record Subject(String name, String version, Long sequence, String bundleSha256, List<String> signers) {}

    public sealed interface Next permits Finish, Change {}

    /** The end of a run that changed nothing (or, for uninstall, did its whole job): its result and message. */
    public record Finish(ExitCode exit, String result, String message, CheckReport preflight, boolean logged)
            implements Next {
        public static Finish of(ExitCode exit, String result, String message) {
            return new Finish(exit, result, message, null, true);
        }
    }

    /** The steps of a change, in the order the frame runs them; everything else is the frame's. */
    public abstract static non-sealed class Change extends Operation implements Next {
        /** How a failure reads: "register failed" and "the previous token is back". */
        private final String failed;

        private final String back;

        protected Change(String action, String failed, String back) {
            super(action);
            this.failed = failed;
            this.back = back;
        }

        /** The record written before the first change; a STAGING phase means {@link #stage} runs first. */
        protected abstract Pending pending();

        /** Step 4, only inside the staging folder: a failure here keeps its own exit code (3, 6...). */
        protected void stage(Pending pending) throws IOException {}

        /** Step 5, after the config folder was backed up: config, token, proxy settings. */
        protected abstract void configure() throws IOException;

        /** Whether step 5 (re)writes the service registration (register keeps it). */
        protected boolean registersService() {
            return true;
        }

        /** Step 6's record (the pending record at {@code SWITCHED}), or null when this change switches nothing. */
        protected Pending switching(Pending pending) {
            return null;
        }

        /** Step 6 itself: folders renamed, {@code current} swapped. */
        protected void switchOver(Pending pending) throws IOException {}

        /** Step 7's service and self-tests. */
        protected abstract ServiceRun service();

        /** Step 8: the state to commit once the self-tests passed (or failed and were kept). */
        protected abstract InstallState committed(InstallState before, SelfTestRun test);

        /** After the commit: what the change leaves to clean (old releases); the .txn backup always goes. */
        protected void cleanUp(InstallState committed) throws IOException {}

        /** The result word and the message when committed. */
        protected abstract Finish done(SelfTestRun test);

        /** The message when the self-tests failed and everything was put back. */
        protected abstract String rolledBack(SelfTestRun test);

        protected String failed() {
            return failed;
        }

        protected String back() {
            return back;
        }
    }

    public Outcome run(Operation op) {
        long started = System.nanoTime();
        try (HostLock lock = HostLock.acquire(setup.layout().lockFile())) {
            CrashPoints.reached(CrashPoints.LOCKED);
            HostPaths paths = op.agent();
            HostContext ctx = setup.forAgent(paths.name());
            if (op.guardsLayout()) {
                LayoutGuard.check(paths);
            }
            List<String> notes = new ArrayList<>(Recovery.recoverAll(ctx));
            Frame frame = new Frame(ctx, paths, op.state(paths), notes);
            Next next;
            try {
                next = op.start(frame);
            } catch (IOException e) {
                throw new UncheckedIOException(op.action + " of " + paths.name() + " failed", e);
            }
            if (next instanceof Finish finish) {
                return finish(op, frame, finish, null, started);
            }
            return change(op, frame, (Change) next, started);
        }
    }

    private Outcome change(Operation op, Frame f, Change change, long started) {
        HostContext ctx = f.ctx();
        HostPaths paths = f.paths();
        Pending pending = change.pending();
        if (pending.phase() == Phase.STAGING) {
            StateStore.write(paths, f.state().withPending(pending));
            CrashPoints.reached(CrashPoints.STAGING_RECORDED);
            try {
                change.stage(pending);
                CrashPoints.reached(CrashPoints.STAGING_DONE);
            } catch (RuntimeException | IOException e) {
                // Nothing outside the staging folder changed: the failure keeps its own code (a bad byte is still 3).
                RuntimeException failure =
                        HostWriteFailure.undone(e, pending.releases().newRelease(), paths.releasesDir());
                try {
                    Undo.run(ctx, paths, pending);
                } catch (IOException undoFailed) {
                    throw new UncheckedIOException(undoFailed);
                }
                Undo.clearPending(paths, f.state());
                throw logged(op, f, failure, started);
            }
        }
        try {
            pending = pending.withConfigBackup(ConfigWriter.backup(paths)).at(Phase.CONFIGURING);
            StateStore.write(paths, f.state().withPending(pending));
            CrashPoints.reached(CrashPoints.CONFIG_BACKED_UP);
            change.configure();
            CrashPoints.reached(CrashPoints.CONFIG_WRITTEN);
            ServiceRun service = change.service();
            if (change.registersService()) {
                ctx.service().install(service.spec());
                CrashPoints.reached(CrashPoints.SERVICE_REGISTERED);
            }
            Pending switching = change.switching(pending);
            if (switching != null) {
                pending = switching.at(Phase.SWITCHED);
                StateStore.write(paths, f.state().withPending(pending));
                CrashPoints.reached(CrashPoints.SWITCH_RECORDED);
                change.switchOver(pending);
            }
            ctx.service().restart(service.spec());
            CrashPoints.reached(CrashPoints.RESTARTED);
            SelfTestRun test = SelfTestRun.of(ctx, service.profile(), paths, service.skipSelftest());
            if (!test.passed() && !service.keepOnSelftestFailure()) {
                Undo.run(ctx, paths, pending);
                // The host's last self-test is the one that just failed, though the old state is back.
                Undo.clearPending(
                        paths, f.state().withSelfTest(test.record(ctx.clock().instant())));
                return finish(
                        op, f, Finish.of(ExitCode.ROLLED_BACK, "rolled-back", change.rolledBack(test)), test, started);
            }
            CrashPoints.reached(CrashPoints.SELFTEST_PASSED);
            InstallState committed = change.committed(f.state(), test);
            StateStore.write(paths, committed);
            CrashPoints.reached(CrashPoints.COMMITTED);
            cleanUp(change, f, committed);
            CrashPoints.reached(CrashPoints.CLEANED);
            return finish(op, f, change.done(test), test, started);
        } catch (RuntimeException | IOException e) {
            FerryException failure = Undo.afterFailure(
                    ctx,
                    paths,
                    pending,
                    f.state(),
                    e,
                    change.failed(),
                    change.back(),
                    HostWriteFailure.why(e, paths.root()));
            throw logged(op, f, failure, started);
        }
    }

    /** Committed is committed: a clean-up that fails is a note, and the next run's recovery finishes it. */
    private static void cleanUp(Change change, Frame f, InstallState committed) {
        try {
            change.cleanUp(committed);
            Undo.cleanTxn(f.paths());
        } catch (IOException | UncheckedIOException e) {
            f.notes()
                    .add("clean-up after the commit did not finish ("
                            + HostWriteFailure.why(e, f.paths().root()) + "); the next installer run finishes it");
        }
    }

    private Outcome finish(Operation op, Frame f, Finish finish, SelfTestRun test, long started) {
        Subject s = op.subject();
        CheckReport selftest = test == null ? null : test.report();
        if (finish.logged()) {
            InstallLog.append(
                    f.paths(), line(op, s, finish.result(), finish.exit(), finish.message(), f.notes(), started));
        }
        return new Outcome(
                finish.exit(),
                op.action,
                finish.result(),
                s.name(),
                s.version(),
                s.sequence(),
                finish.message(),
                finish.preflight(),
                selftest,
                f.notes());
    }

    /** The failure's install.log line; a disk that refuses it too must not hide the failure itself. */
    private RuntimeException logged(Operation op, Frame f, RuntimeException failure, long started) {
        ExitCode code = failure instanceof FerryException fe ? fe.exitCode() : ExitCode.INTERNAL;
        try {
            InstallLog.append(f.paths(), line(op, op.subject(), "failed", code, message(failure), f.notes(), started));
        } catch (UncheckedIOException logFailed) {
            failure.addSuppressed(logFailed);
        }
        return failure;
    }

    private InstallLog.Line line(
            Operation op, Subject s, String result, ExitCode exit, String message, List<String> notes, long started) {
        return new InstallLog.Line(
                setup.clock().instant(),
                op.action,
                s.name(),
                s.version(),
                s.sequence(),
                s.bundleSha256(),
                s.signers(),
                result,
                exit.code(),
                (System.nanoTime() - started) / 1_000_000,
                message,
                notes);
    }

    static String message(Exception e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
