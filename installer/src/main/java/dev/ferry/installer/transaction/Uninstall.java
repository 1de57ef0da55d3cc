package dev.ferry.installer.transaction;

import dev.ferry.common.ExitCode;
import dev.ferry.installer.host.HostPaths;
import dev.ferry.installer.host.InstallState;
import dev.ferry.installer.host.InstallState.ReleaseRecord;
import dev.ferry.installer.host.ReleaseManifest;
import dev.ferry.installer.host.StateStore;
import dev.ferry.installer.host.Trees;
import dev.ferry.installer.service.ServiceSpec;
import dev.ferry.installer.transaction.HostTransaction.Finish;
import dev.ferry.installer.transaction.HostTransaction.Frame;
import dev.ferry.installer.transaction.HostTransaction.Subject;
import dev.ferry.profiles.Profile;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;

/**
 * {@code uninstall}: stops and removes the service and the runtime ({@code /opt/ferry/NAME}); keeps config, agent
 * data and logs, and marks the state uninstalled. {@code --purge} also removes the config, data (with the state)
 * and log folders of that agent: everything Ferry put there for it. The lock, recovery, log line and outcome are
 * {@link HostTransaction}'s; it works on a damaged host too (no layout guard, a damaged state counts as none).
 */
public final class Uninstall {
    private final HostSetup setup;

    public Uninstall(HostSetup setup) {
        this.setup = setup;
    }

    public Outcome run(HostPaths paths, boolean purge) {
        return new HostTransaction(setup).run(new Steps(paths, purge));
    }

    private final class Steps extends HostTransaction.Operation {
        private final HostPaths paths;
        private final boolean purge;
        private ReleaseRecord installed;

        Steps(HostPaths paths, boolean purge) {
            super("uninstall");
            this.paths = paths;
            this.purge = purge;
        }

        @Override
        protected HostPaths agent() {
            return paths;
        }

        @Override
        protected boolean guardsLayout() {
            return false;
        }

        /** A damaged state.json must not block removing the agent: it is then treated as no state. */
        @Override
        protected InstallState state(HostPaths agent) {
            return StateStore.readIfIntact(agent).orElse(null);
        }

        @Override
        protected Finish start(Frame f) throws IOException {
            InstallState state = f.state();
            installed = state == null ? null : state.current();
            f.ctx().service().uninstall(spec());
            Trees.delete(paths.installBase());
            if (purge) {
                for (var dir : List.of(paths.configDir(), paths.dataDir(), paths.logDir())) {
                    Trees.delete(dir);
                }
                return new Finish(
                        ExitCode.OK,
                        "purged",
                        "purged " + paths.name() + ": service, runtime, config, data, state and logs removed",
                        null,
                        false);
            }
            if (state != null) {
                StateStore.write(paths, state.uninstalled(setup.clock().instant()));
            }
            if (installed == null) {
                return new Finish(
                        ExitCode.OK,
                        "not-installed",
                        paths.name() + " was not installed; nothing to remove",
                        null,
                        Files.isDirectory(paths.logDir()));
            }
            return Finish.of(
                    ExitCode.OK,
                    "uninstalled",
                    "uninstalled " + paths.name() + " " + installed.release()
                            + "; config, agent data and logs kept (uninstall --purge removes them)");
        }

        @Override
        protected Subject subject() {
            return installed == null
                    ? new Subject(paths.name(), null, null, null, null)
                    : new Subject(paths.name(), installed.version(), installed.sequence(), null, null);
        }

        private ServiceSpec spec() {
            if (installed != null) {
                try {
                    var release = paths.release(installed.release());
                    Profile profile = ReleaseManifest.profile(ReleaseManifest.read(release));
                    return ServiceSpecs.of(
                            profile,
                            paths,
                            RenderedConfig.render(profile, release, paths).exec());
                } catch (RuntimeException e) {
                    // A damaged release must not block its own removal: stop the service by name.
                }
            }
            return ServiceSpecs.byName(paths.name(), paths);
        }
    }
}
