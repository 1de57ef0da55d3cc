package dev.ferry.installer.transaction;

import dev.ferry.common.ExitCode;
import dev.ferry.common.FerryException;
import dev.ferry.installer.host.HostLock;
import dev.ferry.installer.host.HostPaths;
import dev.ferry.installer.host.LayoutGuard;
import dev.ferry.installer.host.InstallState;
import dev.ferry.installer.host.InstallState.Pending;
import dev.ferry.installer.host.InstallState.Phase;
import dev.ferry.installer.host.InstallState.ReleaseRecord;
import dev.ferry.installer.host.ReleaseManifest;
import dev.ferry.installer.host.Releases;
import dev.ferry.installer.host.StateStore;
import dev.ferry.installer.service.ServiceSpec;
import dev.ferry.profiles.Profile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code rollback}: back to the previous kept release by steps 1, 2, 6, 7 and 8. Going to an older sequence is the
 * point here, so the sequence rule does not apply. The config is re-rendered from that release's own templates;
 * the token and proxy password in use stay (a rollback changes the software, not the registration). The release
 * rolled away from becomes the previous one, so a second rollback undoes the first.
 */
public final class Rollback {
    private final HostContext ctx;

    public Rollback(HostContext ctx) {
        this.ctx = ctx;
    }

    public Outcome run(HostPaths paths, boolean skipSelftest) {
        long started = System.nanoTime();
        try (HostLock lock = HostLock.acquire(ctx.layout().lockFile())) {
            CrashPoints.reached(CrashPoints.LOCKED);
            LayoutGuard.check(paths);
            List<String> notes = new ArrayList<>(Recovery.recoverAll(ctx));
            InstallState state = StateStore.read(paths).filter(s -> s.current() != null)
                    .orElseThrow(() -> FerryException.usage(paths.name() + " is not installed: nothing to roll back"));
            ReleaseRecord from = state.current();
            ReleaseRecord to = state.previous();
            if (to == null || !Releases.exists(paths, to.release())) {
                throw FerryException.usage("no previous release of " + paths.name() + " is kept: nothing to roll back to ("
                        + from.release() + " stays current)");
            }
            Path release = paths.release(to.release());
            Profile profile = ReleaseManifest.profile(ReleaseManifest.read(release));
            RenderedConfig config = RenderedConfig.render(profile, release, paths);
            ServiceSpec spec = ServiceSpecs.of(profile, paths, config.exec());
            Pending pending = new Pending("rollback", Phase.CONFIGURING, ctx.clock().instant(), null, to.release(), false,
                    from.release(), null, false, false, spec.name());
            try {
                pending = pending.withConfigBackup(ConfigWriter.backup(paths));
                StateStore.write(paths, state.withPending(pending));
                CrashPoints.reached(CrashPoints.CONFIG_BACKED_UP);
                ConfigWriter.write(paths, profile, config, release, false);
                CrashPoints.reached(CrashPoints.CONFIG_WRITTEN);
                ctx.service().install(spec);
                CrashPoints.reached(CrashPoints.SERVICE_REGISTERED);
                pending = pending.at(Phase.SWITCHED);
                StateStore.write(paths, state.withPending(pending));
                CrashPoints.reached(CrashPoints.SWITCH_RECORDED);
                Releases.switchTo(paths, to.release());
                CrashPoints.reached(CrashPoints.SWITCH_LINKED);
                ctx.service().restart(spec);
                CrashPoints.reached(CrashPoints.RESTARTED);
                SelfTestRun test = SelfTestRun.of(ctx, profile, paths, skipSelftest);
                if (!test.passed()) {
                    Undo.run(ctx, paths, pending);
                    // The host's last self-test is the one that just failed, though the old state is back.
                    Undo.clearPending(paths, state.withSelfTest(test.record(ctx.clock().instant())));
                    return log(paths, to, ExitCode.ROLLED_BACK, "rolled-back", "self-tests failed on " + to.release() + " ("
                            + test.failedIds() + "); " + from.release() + " is current and running again", test, notes, started);
                }
                CrashPoints.reached(CrashPoints.SELFTEST_PASSED);
                StateStore.write(paths, state.committed(to, from, state.token(), state.serviceManager(),
                        test.record(ctx.clock().instant())));
                CrashPoints.reached(CrashPoints.COMMITTED);
                Undo.cleanTxn(paths);
                return log(paths, to, ExitCode.OK, "rolled-back-to", "rolled back " + paths.name() + " from " + from.release()
                        + " to " + to.release() + (test.skipped() ? "; self-tests skipped (--skip-selftest)" : ""), test, notes, started);
            } catch (RuntimeException | IOException e) {
                throw Undo.afterFailure(ctx, paths, pending, state, e, "rollback failed", from.release() + " is current again",
                        InstallTransaction.message(e));
            }
        }
    }

    private Outcome log(HostPaths paths, ReleaseRecord to, ExitCode exit, String result, String message, SelfTestRun test,
            List<String> notes, long started) {
        InstallLog.append(paths, new InstallLog.Line(ctx.clock().instant(), "rollback", paths.name(), to.version(), to.sequence(),
                to.bundleSha256(), to.signers(), result, exit.code(), (System.nanoTime() - started) / 1_000_000, message, notes));
        return new Outcome(exit, "rollback", result, paths.name(), to.version(), to.sequence(), message, null, test.report(), notes);
    }
}
