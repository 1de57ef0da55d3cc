package dev.ferry.installer.transaction;

import dev.ferry.bundle.Manifest;
import dev.ferry.bundle.PayloadSink;
import dev.ferry.bundle.TokenInfo;
import dev.ferry.bundle.VerifiedBundle;
import dev.ferry.common.ExitCode;
import dev.ferry.common.FerryException;
import dev.ferry.common.files.AtomicWriter;
import dev.ferry.common.files.FileMode;
import dev.ferry.installer.check.CheckReport;
import dev.ferry.installer.delta.BaseRelease;
import dev.ferry.installer.delta.DeltaComposer;
import dev.ferry.installer.host.HostLock;
import dev.ferry.installer.host.HostPaths;
import dev.ferry.installer.host.LayoutGuard;
import dev.ferry.installer.host.InstallState;
import dev.ferry.installer.host.InstallState.Pending;
import dev.ferry.installer.host.InstallState.Phase;
import dev.ferry.installer.host.InstallState.ReleaseRecord;
import dev.ferry.installer.host.InstallState.TokenRecord;
import dev.ferry.installer.host.ReleaseManifest;
import dev.ferry.installer.host.Releases;
import dev.ferry.installer.host.StateStore;
import dev.ferry.installer.host.TreeFlush;
import dev.ferry.installer.host.Trees;
import dev.ferry.installer.preflight.Preflight;
import dev.ferry.installer.preflight.PreflightInput;
import dev.ferry.installer.preflight.PreflightVerdict;
import dev.ferry.installer.service.ServiceSpec;
import dev.ferry.profiles.Profile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code install} and {@code reinstall}: SPEC section 5, every step, top to bottom in {@link #run}. Either the host
 * ends in the new state, or it is back in the old one (exit 7). The core never prints; it returns an {@link Outcome}
 * or throws {@link FerryException} with the SPEC exit code.
 */
public final class InstallTransaction {
    private final HostContext ctx;
    private final Bundles bundles;
    private final Preflight preflight;

    public InstallTransaction(HostContext ctx, Bundles bundles, Preflight preflight) {
        this.ctx = ctx;
        this.bundles = bundles;
        this.preflight = preflight;
    }

    public Outcome run(InstallRequest req) {
        long started = System.nanoTime();
        // The verified head names the agent and feeds preflight; step 4 verifies every payload byte against it.
        Manifest manifest = req.head().manifest();
        HostPaths paths = ctx.layout().agent(manifest.name());
        String release = Releases.name(manifest.version(), manifest.sequence());

        // 1. The host lock: another install running -> exit 8 at once, nothing changed.
        try (HostLock lock = HostLock.acquire(ctx.layout().lockFile())) {
            CrashPoints.reached(CrashPoints.LOCKED);
            LayoutGuard.check(paths);
            // 2. Recover what an interrupted run left, before looking at the state.
            List<String> notes = new ArrayList<>(Recovery.recoverAll(ctx));
            InstallState state = StateStore.read(paths).orElse(InstallState.empty(paths.name()));
            ReleaseRecord installed = state.current();
            boolean sameRelease = installed != null && installed.release().equals(release);
            if (!req.reinstall() && sameRelease) {
                // Even "nothing to do" answers for the bundle given: a tampered or untrusted one is refused (3/6).
                bundles.verify(req.bundle(), PayloadSink.discard(), req.head());
                return finish(paths, req, manifest, null, ExitCode.OK, "already-installed", manifest.name() + " " + release
                        + " is already installed; nothing changed (to repair it, run installer reinstall --bundle FILE)",
                        null, null, notes, started);
            }
            if (req.reinstall() && !sameRelease) {
                throw FerryException.usage("reinstall repairs the installed release, which is "
                        + (installed == null ? "none" : installed.release()) + "; " + req.bundle() + " holds " + release
                        + " (use installer install for an upgrade)");
            }

            // 3. Preflight: a failing check stops here, nothing changed, unless --ignore-preflight names it.
            Profile headProfile = ReleaseManifest.profile(manifest);
            CheckReport rawChecks = preflight.run(new PreflightInput(headProfile, manifest, paths,
                    installed == null ? null : state, tokenOf(manifest), req.allowDowngrade()));
            for (String id : PreflightVerdict.ignoredFailures(rawChecks, req.ignorePreflight())) {
                notes.add("preflight check '" + id + "' failed and was ignored (--ignore-preflight)");
            }
            CheckReport checks = PreflightVerdict.ignoring(rawChecks, req.ignorePreflight());
            if (!checks.passed()) {
                return finish(paths, req, manifest, null, PreflightVerdict.exitCode(checks), "refused",
                        PreflightVerdict.summary(checks), checks, null, notes, started);
            }

            // 4. Verify while streaming into a staging folder beside the final place; on failure, delete it.
            String stagingName = HostPaths.STAGING_PREFIX + release + "-" + AtomicWriter.randomSuffix();
            Path staging = paths.releasesDir().resolve(stagingName);
            Pending pending = new Pending(req.action(), Phase.STAGING, ctx.clock().instant(), stagingName, release,
                    false, installed == null ? null : installed.release(), null, false, false,
                    ServiceSpecs.serviceName(headProfile, paths));
            StateStore.write(paths, state.withPending(pending));
            CrashPoints.reached(CrashPoints.STAGING_RECORDED);
            VerifiedBundle verified;
            Profile profile;
            RenderedConfig config;
            try {
                StagingSink.createStaging(paths.releasesDir(), staging);
                StagingSink sink = new StagingSink(staging);
                verified = bundles.verify(req.bundle(), sink, req.head());
                Manifest m = verified.manifest();
                if (!req.head().signs(verified.manifestBytes())) {
                    throw FerryException.verification(req.bundle() + ": the bundle changed while it was being installed");
                }
                if (m.isDelta()) {
                    // SPEC 11: the files a delta does not carry come from its base release, checked as they are copied.
                    DeltaComposer.compose(m, BaseRelease.require(m, paths, state), sink);
                }
                AtomicWriter.write(staging.resolve(ReleaseManifest.FILE), verified.manifestBytes(), FileMode.READABLE);
                profile = ReleaseManifest.profile(m);
                // 5a. Render in memory first: a template error leaves the host untouched.
                config = RenderedConfig.render(profile, staging, paths);
                // On disk before anything points at it: a power cut must not leave current naming unwritten files.
                TreeFlush.flush(staging);
                CrashPoints.reached(CrashPoints.STAGING_DONE);
            } catch (RuntimeException | IOException e) {
                RuntimeException failure = HostWriteFailure.undone(e, release, paths.releasesDir());
                abandon(paths, state, pending);
                logFailure(paths, req, manifest, null, failure, notes, started);
                throw failure;
            }

            try {
                // 5b. Back up the config folder, then write config, token, proxy settings and the service unit.
                pending = pending.withConfigBackup(ConfigWriter.backup(paths)).at(Phase.CONFIGURING);
                StateStore.write(paths, state.withPending(pending));
                CrashPoints.reached(CrashPoints.CONFIG_BACKED_UP);
                boolean keepToken = keepsRegisteredToken(state, verified.manifest(), paths);
                ConfigWriter.write(paths, profile, config, staging, !keepToken);
                CrashPoints.reached(CrashPoints.CONFIG_WRITTEN);
                ServiceSpec spec = ServiceSpecs.of(profile, paths, config.exec());
                ctx.service().install(spec);
                CrashPoints.reached(CrashPoints.SERVICE_REGISTERED);

                // 6. Switch: staging becomes releases/VERSION-SEQUENCE (an existing one is set aside, restored on
                // failure), then current is swapped by an atomic rename of a new symlink.
                boolean exists = Releases.exists(paths, release);
                pending = pending.withRelease(true, exists ? HostPaths.ASIDE_PREFIX + release + "-" + AtomicWriter.randomSuffix() : null)
                        .at(Phase.SWITCHED);
                StateStore.write(paths, state.withPending(pending));
                CrashPoints.reached(CrashPoints.SWITCH_RECORDED);
                if (exists) {
                    Files.move(paths.release(release), paths.releasesDir().resolve(pending.asideRelease()), StandardCopyOption.ATOMIC_MOVE);
                    CrashPoints.reached(CrashPoints.SWITCH_ASIDE);
                }
                Files.move(staging, paths.release(release), StandardCopyOption.ATOMIC_MOVE);
                CrashPoints.reached(CrashPoints.SWITCH_RENAMED);
                Releases.switchTo(paths, release);
                CrashPoints.reached(CrashPoints.SWITCH_LINKED);

                // 7. (Re)start the service and run the self-tests; a failure puts everything back (exit 7).
                ctx.service().restart(spec);
                CrashPoints.reached(CrashPoints.RESTARTED);
                SelfTestRun test = SelfTestRun.of(ctx, profile, paths, req.skipSelftest());
                if (!test.passed() && !req.keepOnSelftestFailure()) {
                    Undo.run(ctx, paths, pending);
                    // The host's last self-test is the one that just failed, though the old state is back.
                    Undo.clearPending(paths, state.withSelfTest(test.record(ctx.clock().instant())));
                    return finish(paths, req, manifest, verified, ExitCode.ROLLED_BACK, "rolled-back",
                            "self-tests failed (" + test.failedIds() + "), so " + release + " was rolled back; "
                                    + (installed == null ? "nothing is installed, as before" : installed.release() + " is current and running again"),
                            checks, test.report(), notes, started);
                }

                CrashPoints.reached(CrashPoints.SELFTEST_PASSED);
                // 8. Commit: one atomic write of state.json records the result and clears the pending record.
                ReleaseRecord record = new ReleaseRecord(release, verified.manifest().version(), verified.manifest().sequence(),
                        profile.name(), verified.sha256(), verified.signerKeyIds(), verified.manifest().expiresAt(), ctx.clock().instant());
                ReleaseRecord previous = sameRelease ? state.previous() : installed;
                StateStore.write(paths, state.committed(record, previous, keepToken ? state.token() : tokenRecord(verified.manifest(), state, ctx.clock().instant()),
                        ctx.service().kind().name().toLowerCase(Locale.ROOT), test.record(ctx.clock().instant())));
                CrashPoints.reached(CrashPoints.COMMITTED);
                cleanUp(paths, record, previous);
                CrashPoints.reached(CrashPoints.CLEANED);
                ExitCode exit = test.passed() ? ExitCode.OK : ExitCode.SELFTEST;
                String msg = test.passed()
                        ? (req.reinstall() ? "reinstalled " : "installed ") + manifest.name() + " " + release
                                + (installed != null && !sameRelease ? " (was " + installed.release() + ")" : "")
                                + (test.skipped() ? "; self-tests skipped (--skip-selftest)" : "")
                        : "installed " + manifest.name() + " " + release + " but self-tests failed (" + test.failedIds()
                                + "); kept by --keep-on-selftest-failure";
                return finish(paths, req, manifest, verified, exit, req.reinstall() ? "reinstalled" : "installed", msg,
                        checks, test.report(), notes, started);
            } catch (RuntimeException | IOException e) {
                FerryException failure = Undo.afterFailure(ctx, paths, pending, state, e, release + ": install failed",
                        "was rolled back", e instanceof FerryException ? message(e) : HostWriteFailure.describe(e, paths.root()));
                logFailure(paths, req, manifest, verified, failure, notes, started);
                throw failure;
            }
        }
    }

    /** Undo of a run that never left its staging folder: delete it, drop the pending record. */
    private static void abandon(HostPaths paths, InstallState state, Pending pending) {
        try {
            Trees.delete(paths.releasesDir().resolve(pending.staging()));
            Undo.cleanTxn(paths);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Undo.clearPending(paths, state);
    }

    /** Keeps the new release and the one before it; everything else in releases/ goes. */
    private static void cleanUp(HostPaths paths, ReleaseRecord current, ReleaseRecord previous) throws IOException {
        Set<String> keep = new HashSet<>();
        keep.add(current.release());
        if (previous != null) {
            keep.add(previous.release());
        }
        Releases.prune(paths, keep);
        Undo.cleanTxn(paths);
    }

    static TokenInfo tokenOf(Manifest m) {
        return m.token();
    }

    /**
     * A token that {@code register} installed and that outlives the bundle's own stays: a repair or an upgrade
     * must not put an older token back (the technician re-registered because the bundle's was running out).
     */
    private static boolean keepsRegisteredToken(InstallState state, Manifest m, HostPaths paths) {
        TokenRecord installed = state.token();
        return installed != null && "register".equals(installed.source()) && installed.notAfter() != null
                && m.token() != null && m.token().notAfter() != null && installed.notAfter().isAfter(m.token().notAfter())
                && Files.isRegularFile(paths.tokenFile());
    }

    private static TokenRecord tokenRecord(Manifest m, InstallState state, Instant now) {
        if (m.token() == null) {
            return state.token();
        }
        return new TokenRecord(m.token().id(), m.token().notBefore(), m.token().notAfter(), "bundle", now);
    }

    private Outcome finish(HostPaths paths, InstallRequest req, Manifest m, VerifiedBundle verified, ExitCode exit,
            String result, String message, CheckReport checks, CheckReport selftest, List<String> notes, long started) {
        InstallLog.append(paths, new InstallLog.Line(ctx.clock().instant(), req.action(), m.name(), m.version(), m.sequence(),
                verified == null ? null : verified.sha256(), verified == null ? null : verified.signerKeyIds(), result,
                exit.code(), (System.nanoTime() - started) / 1_000_000, message, notes));
        return new Outcome(exit, req.action(), result, m.name(), m.version(), m.sequence(), message, checks, selftest, notes);
    }

    private void logFailure(HostPaths paths, InstallRequest req, Manifest m, VerifiedBundle verified, Exception e,
            List<String> notes, long started) {
        ExitCode code = e instanceof FerryException fe ? fe.exitCode() : ExitCode.INTERNAL;
        try {
            InstallLog.append(paths, new InstallLog.Line(ctx.clock().instant(), req.action(), m.name(), m.version(), m.sequence(),
                    verified == null ? null : verified.sha256(), verified == null ? null : verified.signerKeyIds(),
                    "failed", code.code(), (System.nanoTime() - started) / 1_000_000, message(e), notes));
        } catch (UncheckedIOException logFailed) {
            // A full or read-only disk may refuse the log line too; the failure itself is what the user must see.
            e.addSuppressed(logFailed);
        }
    }

    static String message(Exception e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
