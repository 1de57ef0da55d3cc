package dev.ferry.installer.transaction;

import dev.ferry.common.ExitCode;
import dev.ferry.common.FerryException;
import dev.ferry.installer.host.HostPaths;
import dev.ferry.installer.host.InstallState;
import dev.ferry.installer.host.InstallState.Pending;
import dev.ferry.installer.host.InstallState.Phase;
import dev.ferry.installer.host.InstallState.ReleaseMoves;
import dev.ferry.installer.host.ReleaseManifest;
import dev.ferry.installer.host.Releases;
import dev.ferry.installer.host.StateStore;
import dev.ferry.installer.host.Trees;
import dev.ferry.installer.service.ServiceSpec;
import dev.ferry.profiles.Profile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Puts the host back the way it was before a transaction, from its {@link Pending} record alone: used when a step
 * fails (step 7's rollback) and by recovery after a crash. Every step is idempotent, so a crash during an undo is
 * undone again by the next run.
 */
final class Undo {
    private Undo() {}

    /**
     * Step 7 after a failed step of install, register or rollback: puts the host back and returns the failure to
     * throw. It says the old state is back (exit 7) only when the undo itself succeeded; otherwise exit 1, and the
     * pending record stays in state.json so the next installer run retries the undo.
     *
     * @param what what failed, e.g. "register failed"
     * @param back what is true again once undone, e.g. "the previous token is back"
     * @param why the failure, for the technician
     */
    static FerryException afterFailure(
            HostContext ctx,
            HostPaths paths,
            Pending pending,
            InstallState before,
            Exception cause,
            String what,
            String back,
            String why) {
        try {
            run(ctx, paths, pending);
            clearPending(paths, before);
        } catch (RuntimeException | IOException undoFailed) {
            cause.addSuppressed(undoFailed);
            return new FerryException(
                    ExitCode.INTERNAL,
                    what + " (" + why + ") and undoing it failed too (" + HostTransaction.message(undoFailed)
                            + "); the next installer run retries the undo",
                    cause);
        }
        return new FerryException(ExitCode.ROLLED_BACK, what + " and " + back + ": " + why, cause);
    }

    static void run(HostContext ctx, HostPaths paths, Pending p) throws IOException {
        ReleaseMoves r = p.releases();
        if (r.staging() != null) {
            Trees.delete(paths.releasesDir().resolve(r.staging()));
        }
        if (p.phase() == Phase.STAGING) {
            cleanTxn(paths);
            return;
        }
        if (p.phase() == Phase.SWITCHED && r.createdRelease()) {
            Path made = paths.release(r.newRelease());
            if (r.asideRelease() == null) {
                Trees.delete(made);
            } else if (Files.isDirectory(paths.releasesDir().resolve(r.asideRelease()))) {
                Trees.delete(made);
                Files.move(paths.releasesDir().resolve(r.asideRelease()), made, StandardCopyOption.ATOMIC_MOVE);
            }
        }
        if (r.previousRelease() != null && Releases.exists(paths, r.previousRelease())) {
            Releases.switchTo(paths, r.previousRelease());
        } else {
            Releases.unlinkCurrent(paths);
        }
        if (p.config().configBackedUp()) {
            ConfigWriter.restore(paths, p.config().configExisted());
        }
        restartPrevious(ctx, paths, p);
        cleanTxn(paths);
    }

    /** Registers and restarts the release that is current again, or removes the service if there is none. */
    private static void restartPrevious(HostContext ctx, HostPaths paths, Pending p) {
        String previous = p.releases().previousRelease();
        if (previous == null || !Releases.exists(paths, previous)) {
            if (p.serviceName() != null) {
                ctx.service().uninstall(ServiceSpecs.byName(p.serviceName(), paths));
            }
            return;
        }
        Path release = paths.release(previous);
        Profile profile = ReleaseManifest.profile(ReleaseManifest.read(release));
        ServiceSpec spec = ServiceSpecs.of(
                profile, paths, RenderedConfig.render(profile, release, paths).exec());
        ctx.service().install(spec);
        ctx.service().restart(spec);
    }

    /** The state as it was before the transaction; a first install that never finished leaves no state file. */
    static void clearPending(HostPaths paths, InstallState state) {
        InstallState restored = state.withPending(null);
        try {
            if (restored.current() == null && restored.history().isEmpty() && restored.uninstalledAt() == null) {
                // A first install that never finished: leave no trace but its log (empty folders it made go too).
                Files.deleteIfExists(paths.stateFile());
                Trees.deleteEmptyDirs(paths.releasesDir(), paths.root());
                Trees.deleteEmptyDirs(paths.dataDir(), paths.root());
            } else {
                StateStore.write(paths, restored);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void cleanTxn(HostPaths paths) throws IOException {
        Trees.delete(paths.txnDir());
    }
}
