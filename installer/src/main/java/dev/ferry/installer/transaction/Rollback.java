package dev.ferry.installer.transaction;

import dev.ferry.common.ExitCode;
import dev.ferry.common.FerryException;
import dev.ferry.installer.host.HostPaths;
import dev.ferry.installer.host.InstallState;
import dev.ferry.installer.host.InstallState.Pending;
import dev.ferry.installer.host.InstallState.ReleaseRecord;
import dev.ferry.installer.host.ReleaseManifest;
import dev.ferry.installer.host.Releases;
import dev.ferry.installer.transaction.HostTransaction.Finish;
import dev.ferry.installer.transaction.HostTransaction.Frame;
import dev.ferry.installer.transaction.HostTransaction.Next;
import dev.ferry.installer.transaction.HostTransaction.Subject;
import dev.ferry.profiles.Profile;
import java.io.IOException;
import java.nio.file.Path;

/**
 * {@code rollback}: back to the previous kept release by steps 1, 2, 6, 7 and 8 (the frame is {@link HostTransaction}'s).
 * Going to an older sequence is the point here, so the sequence rule does not apply. The config is re-rendered from
 * that release's own templates; the token and proxy password in use stay (a rollback changes the software, not the
 * registration). The release rolled away from becomes the previous one, so a second rollback undoes the first.
 */
public final class Rollback {
    private final HostSetup setup;

    public Rollback(HostSetup setup) {
        this.setup = setup;
    }

    public Outcome run(HostPaths paths, SelfTestPolicy selfTests) {
        return new HostTransaction(setup).run(new Steps(paths, selfTests));
    }

    private final class Steps extends HostTransaction.Change {
        private final HostPaths paths;
        private final SelfTestPolicy selfTests;
        private ReleaseRecord from;
        private ReleaseRecord to;
        private Path release;
        private Profile profile;
        private RenderedConfig config;

        Steps(HostPaths paths, SelfTestPolicy selfTests) {
            super("rollback", "rollback failed", null);
            this.paths = paths;
            this.selfTests = selfTests;
        }

        @Override
        protected HostPaths agent() {
            return paths;
        }

        @Override
        protected InstallState state(HostPaths agent) {
            return Registration.requireInstalled(agent, "nothing to roll back");
        }

        @Override
        protected Next start(Frame f) {
            from = f.state().current();
            to = f.state().previous();
            if (to == null || !Releases.exists(paths, to.release())) {
                throw FerryException.usage("no previous release of " + paths.name()
                        + " is kept: nothing to roll back to (" + from.release() + " stays current)");
            }
            release = paths.release(to.release());
            profile = ReleaseManifest.profile(ReleaseManifest.read(release));
            config = RenderedConfig.render(profile, release, paths);
            return this;
        }

        @Override
        protected Pending pending() {
            return Pending.configuring(
                    action,
                    setup.clock().instant(),
                    to.release(),
                    from.release(),
                    ServiceSpecs.serviceName(profile, paths));
        }

        @Override
        protected void configure() throws IOException {
            ConfigWriter.write(paths, profile, config, release, false);
        }

        @Override
        protected ServiceRun service() {
            return new ServiceRun(ServiceSpecs.of(profile, paths, config.exec()), profile, selfTests.skips(), false);
        }

        @Override
        protected Pending switching(Pending pending) {
            return pending;
        }

        @Override
        protected void switchOver(Pending pending) throws IOException {
            Releases.switchTo(paths, to.release());
            CrashPoints.reached(CrashPoints.SWITCH_LINKED);
        }

        @Override
        protected InstallState committed(InstallState before, SelfTestRun test) {
            return before.committed(
                    to,
                    from,
                    before.token(),
                    before.serviceManager(),
                    test.record(setup.clock().instant()));
        }

        @Override
        protected Finish done(SelfTestRun test) {
            return Finish.of(
                    ExitCode.OK,
                    "rolled-back-to",
                    "rolled back " + paths.name() + " from " + from.release() + " to " + to.release()
                            + (test.skipped() ? "; self-tests skipped (--skip-selftest)" : ""));
        }

        @Override
        protected String rolledBack(SelfTestRun test) {
            return "self-tests failed on " + to.release() + " (" + test.failedIds() + "); " + from.release()
                    + " is current and running again";
        }

        @Override
        protected String back() {
            return from.release() + " is current again";
        }

        @Override
        protected Subject subject() {
            return to == null
                    ? new Subject(paths.name(), null, null, null, null)
                    : new Subject(paths.name(), to.version(), to.sequence(), to.bundleSha256(), to.signers());
        }
    }
}
