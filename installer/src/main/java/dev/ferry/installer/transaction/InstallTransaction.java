package dev.ferry.installer.transaction;

import dev.ferry.bundle.Manifest;
import dev.ferry.bundle.OpenBundle;
import dev.ferry.bundle.PayloadSink;
import dev.ferry.bundle.StreamedBundle;
import dev.ferry.bundle.VerifiedBundle;
import dev.ferry.bundle.VerifiedHead;
import dev.ferry.common.ExitCode;
import dev.ferry.common.FerryException;
import dev.ferry.common.files.AtomicWriter;
import dev.ferry.common.files.FileMode;
import dev.ferry.installer.check.CheckReport;
import dev.ferry.installer.delta.BaseRelease;
import dev.ferry.installer.delta.DeltaComposer;
import dev.ferry.installer.host.HostPaths;
import dev.ferry.installer.host.InstallState;
import dev.ferry.installer.host.InstallState.Pending;
import dev.ferry.installer.host.InstallState.ReleaseRecord;
import dev.ferry.installer.host.InstallState.TokenRecord;
import dev.ferry.installer.host.ReleaseManifest;
import dev.ferry.installer.host.Releases;
import dev.ferry.installer.host.TreeFlush;
import dev.ferry.installer.preflight.Preflight;
import dev.ferry.installer.preflight.PreflightInput;
import dev.ferry.installer.preflight.PreflightVerdict;
import dev.ferry.installer.service.ServiceManager;
import dev.ferry.installer.transaction.HostTransaction.Finish;
import dev.ferry.installer.transaction.HostTransaction.Frame;
import dev.ferry.installer.transaction.HostTransaction.Next;
import dev.ferry.installer.transaction.HostTransaction.Subject;
import dev.ferry.installer.transaction.InstallRequest.Mode;
import dev.ferry.profiles.Profile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

/**
 * {@code install} and {@code reinstall}: SPEC section 5 in its order, one named step each. The frame (lock, recovery,
 * pending record, undo, commit, install.log line, outcome) is {@link HostTransaction}'s; only what an install does
 * is here. The bundle's head is verified first, under the lock: nothing it says is used before.
 */
public final class InstallTransaction {
    private final HostSetup setup;
    private final Bundles bundles;
    private final Function<ServiceManager, Preflight> preflight;

    /** @param preflight the host checks, for the service manager the transaction picks for the agent */
    public InstallTransaction(HostSetup setup, Bundles bundles, Function<ServiceManager, Preflight> preflight) {
        this.setup = setup;
        this.bundles = bundles;
        this.preflight = preflight;
    }

    public Outcome run(InstallRequest req) {
        Steps steps = new Steps(req);
        try {
            return new HostTransaction(setup).run(steps);
        } finally {
            steps.closeBundle();
        }
    }

    /** One run's steps; its fields fill in as the frame calls them, top to bottom. */
    private final class Steps extends HostTransaction.Change {
        private final InstallRequest req;
        /** Open from the head's judgement to the end of the run: the payload is streamed from the same file. */
        private OpenBundle bundle;

        private VerifiedHead head;
        private Manifest manifest;
        private Profile profile;
        private String release;
        private Frame frame;
        private ReleaseRecord installed;
        private CheckReport checks;
        private Path staging;
        private VerifiedBundle verified;
        private RenderedConfig config;
        private boolean keepToken;

        Steps(InstallRequest req) {
            super(req.mode().action(), null, "was rolled back");
            this.req = req;
        }

        void closeBundle() {
            if (bundle != null) {
                bundle.close();
            }
        }

        /** Before anything else: the signed head names the agent (SPEC section 5 step 4's "nothing is trusted before"). */
        @Override
        protected HostPaths agent() {
            bundle = bundles.open(req.bundle());
            head = bundle.head();
            manifest = head.manifest();
            profile = ReleaseManifest.profile(manifest);
            release = Releases.name(manifest.version(), manifest.sequence());
            return setup.layout().agent(manifest.name());
        }

        @Override
        protected Next start(Frame f) {
            frame = f;
            installed = f.state().current();
            boolean sameRelease = installed != null && installed.release().equals(release);
            if (req.mode() == Mode.INSTALL && sameRelease) {
                return alreadyInstalled();
            }
            if (req.mode() == Mode.REINSTALL && !sameRelease) {
                throw FerryException.usage("reinstall repairs the installed release, which is "
                        + (installed == null ? "none" : installed.release()) + "; " + req.bundle() + " holds " + release
                        + " (use installer install for an upgrade)");
            }
            checks = preflight();
            if (!checks.passed()) {
                return new Finish(
                        PreflightVerdict.exitCode(checks), "refused", PreflightVerdict.summary(checks), checks, true);
            }
            return this;
        }

        /** Even "nothing to do" answers for the bundle given: a tampered or untrusted payload is refused (3/6). */
        private Finish alreadyInstalled() {
            bundle.verify(PayloadSink.discard());
            return Finish.of(
                    ExitCode.OK,
                    "already-installed",
                    manifest.name() + " " + release
                            + " is already installed; nothing changed (to repair it, run installer reinstall --bundle FILE)");
        }

        /** Step 3: a failing check stops here, nothing changed, unless --ignore-preflight names it. */
        private CheckReport preflight() {
            InstallState state = frame.state();
            CheckReport raw = preflight
                    .apply(frame.ctx().service())
                    .run(new PreflightInput(
                            profile,
                            manifest,
                            frame.paths(),
                            installed == null ? null : state,
                            manifest.token(),
                            req.preflight().allowDowngrade()));
            for (String id :
                    PreflightVerdict.ignoredFailures(raw, req.preflight().ignore())) {
                frame.notes().add("preflight check '" + id + "' failed and was ignored (--ignore-preflight)");
            }
            return PreflightVerdict.ignoring(raw, req.preflight().ignore());
        }

        @Override
        protected Pending pending() {
            String stagingName = HostPaths.STAGING_PREFIX + release + "-" + AtomicWriter.randomSuffix();
            staging = frame.paths().releasesDir().resolve(stagingName);
            return Pending.staging(
                    action,
                    setup.clock().instant(),
                    stagingName,
                    release,
                    installed == null ? null : installed.release(),
                    ServiceSpecs.serviceName(profile, frame.paths()));
        }

        /** Step 4: verify while streaming into a staging folder beside the final place; then render in memory. */
        @Override
        protected void stage(Pending pending) throws IOException {
            HostPaths paths = frame.paths();
            StagingSink.createStaging(paths.releasesDir(), staging);
            // Closed on the way out: a failed stream stops the writers before the transaction deletes staging.
            try (StagingSink sink = StagingSink.writingAhead(staging)) {
                // The secrets are judged by the verdict: their HMACs, or the slow digests of a bundle made before
                // the binding key (PBKDF2, ~0.3 s each, started as their entries ended, near the end of the stream),
                // which run beside the rest of the staging, mostly the flush. It is in before this step ends, before
                // anything reaches the host.
                StreamedBundle streamed = bundle.stream(sink);
                try {
                    sink.finishWrites();
                    finishStaging(paths, sink);
                } catch (IOException | RuntimeException | Error e) {
                    // A secret that does not match is the failure, as when it was checked before these steps.
                    verified = streamed.verdict();
                    throw e;
                }
                verified = streamed.verdict();
            }
        }

        private void finishStaging(HostPaths paths, StagingSink sink) throws IOException {
            if (manifest.isDelta()) {
                // SPEC 11: the files a delta does not carry come from its base release, checked as they are copied.
                DeltaComposer.compose(manifest, BaseRelease.require(manifest, paths, frame.state()), sink);
            }
            AtomicWriter.write(staging.resolve(ReleaseManifest.FILE), head.manifestBytes(), FileMode.READABLE);
            // 5a. Rendered in memory first: a template error leaves the host untouched.
            config = RenderedConfig.render(profile, staging, paths);
            // On disk before anything points at it: a power cut must not leave current naming unwritten files.
            TreeFlush.flush(staging);
        }

        /** Step 5b: config, token (unless a registered one outlives the bundle's) and proxy settings. */
        @Override
        protected void configure() throws IOException {
            keepToken = keepsRegisteredToken();
            ConfigWriter.write(frame.paths(), profile, config, staging, !keepToken);
        }

        @Override
        protected ServiceRun service() {
            return new ServiceRun(
                    ServiceSpecs.of(profile, frame.paths(), config.exec()),
                    profile,
                    req.selfTests().skips(),
                    req.selfTests().keepsFailure());
        }

        /** Step 6's record: an existing folder of this release (reinstall) is set aside, and restored on failure. */
        @Override
        protected Pending switching(Pending pending) {
            boolean exists = Releases.exists(frame.paths(), release);
            return pending.withRelease(
                    exists ? HostPaths.ASIDE_PREFIX + release + "-" + AtomicWriter.randomSuffix() : null);
        }

        /** Step 6: staging becomes releases/VERSION-SEQUENCE, then current is swapped by an atomic rename of a link. */
        @Override
        protected void switchOver(Pending pending) throws IOException {
            HostPaths paths = frame.paths();
            if (pending.releases().asideRelease() != null) {
                Files.move(
                        paths.release(release),
                        paths.releasesDir().resolve(pending.releases().asideRelease()),
                        StandardCopyOption.ATOMIC_MOVE);
                CrashPoints.reached(CrashPoints.SWITCH_ASIDE);
            }
            Files.move(staging, paths.release(release), StandardCopyOption.ATOMIC_MOVE);
            CrashPoints.reached(CrashPoints.SWITCH_RENAMED);
            Releases.switchTo(paths, release);
            CrashPoints.reached(CrashPoints.SWITCH_LINKED);
        }

        /** Step 8: the new release current, the one it replaced previous (a reinstall keeps the previous one). */
        @Override
        protected InstallState committed(InstallState before, SelfTestRun test) {
            var now = setup.clock().instant();
            ReleaseRecord record = new ReleaseRecord(
                    release,
                    manifest.version(),
                    manifest.sequence(),
                    profile.name(),
                    verified.sha256(),
                    verified.signerKeyIds(),
                    manifest.expiresAt(),
                    now);
            TokenRecord token = keepToken || manifest.token() == null
                    ? before.token()
                    : new TokenRecord(
                            manifest.token().id(),
                            manifest.token().notBefore(),
                            manifest.token().notAfter(),
                            "bundle",
                            now);
            return before.committed(
                    record,
                    previous(before),
                    token,
                    frame.ctx().service().kind().name().toLowerCase(Locale.ROOT),
                    test.record(now));
        }

        private ReleaseRecord previous(InstallState before) {
            return installed != null && installed.release().equals(release) ? before.previous() : installed;
        }

        /** Keeps the new release and the one before it; everything else in releases/ goes. */
        @Override
        protected void cleanUp(InstallState committed) throws IOException {
            Set<String> keep = new HashSet<>();
            keep.add(committed.current().release());
            if (committed.previous() != null) {
                keep.add(committed.previous().release());
            }
            Releases.prune(frame.paths(), keep);
        }

        @Override
        protected Finish done(SelfTestRun test) {
            boolean upgrade = installed != null && !installed.release().equals(release);
            String message = test.passed()
                    ? (req.mode() == Mode.REINSTALL ? "reinstalled " : "installed ") + manifest.name() + " " + release
                            + (upgrade ? " (was " + installed.release() + ")" : "")
                            + (test.skipped() ? "; self-tests skipped (--skip-selftest)" : "")
                    : "installed " + manifest.name() + " " + release + " but self-tests failed (" + test.failedIds()
                            + "); kept by --keep-on-selftest-failure";
            return new Finish(
                    test.passed() ? ExitCode.OK : ExitCode.SELFTEST,
                    req.mode() == Mode.REINSTALL ? "reinstalled" : "installed",
                    message,
                    checks,
                    true);
        }

        @Override
        protected String rolledBack(SelfTestRun test) {
            return "self-tests failed (" + test.failedIds() + "), so " + release + " was rolled back; "
                    + (installed == null
                            ? "nothing is installed, as before"
                            : installed.release() + " is current and running again");
        }

        @Override
        protected String failed() {
            return release + ": install failed";
        }

        @Override
        protected Subject subject() {
            return new Subject(
                    manifest.name(),
                    manifest.version(),
                    manifest.sequence(),
                    verified == null ? null : verified.sha256(),
                    verified == null ? null : verified.signerKeyIds());
        }

        /**
         * A token that {@code register} installed and that outlives the bundle's own stays: a repair or an upgrade
         * must not put an older token back (the technician re-registered because the bundle's was running out).
         */
        private boolean keepsRegisteredToken() {
            TokenRecord current = frame.state().token();
            return current != null
                    && "register".equals(current.source())
                    && current.notAfter() != null
                    && manifest.token() != null
                    && manifest.token().notAfter() != null
                    && current.notAfter().isAfter(manifest.token().notAfter())
                    && Files.isRegularFile(frame.paths().tokenFile());
        }
    }
}
