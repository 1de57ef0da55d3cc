package dev.ferry.installer.transaction;

import dev.ferry.common.ExitCode;
import dev.ferry.installer.host.HostLock;
import dev.ferry.installer.host.HostPaths;
import dev.ferry.installer.host.InstallState;
import dev.ferry.installer.host.ReleaseManifest;
import dev.ferry.installer.host.StateStore;
import dev.ferry.installer.host.Trees;
import dev.ferry.installer.service.ServiceSpec;
import dev.ferry.profiles.Profile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code uninstall}: stops and removes the service and the runtime ({@code /opt/ferry/NAME}); keeps config, agent
 * data and logs, and marks the state uninstalled. {@code --purge} also removes the config, data (with the state)
 * and log folders of that agent: everything Ferry put there for it.
 */
public final class Uninstall {
    private final HostContext ctx;

    public Uninstall(HostContext ctx) {
        this.ctx = ctx;
    }

    public Outcome run(HostPaths paths, boolean purge) {
        long started = System.nanoTime();
        try (HostLock lock = HostLock.acquire(ctx.layout().lockFile())) {
            List<String> notes = new ArrayList<>(Recovery.recoverAll(ctx));
            // A damaged state.json must not block removing the agent: it is then treated as no state.
            InstallState state = StateStore.readIfIntact(paths).orElse(null);
            boolean installed = state != null && state.current() != null;
            ctx.service().uninstall(spec(paths, state));
            Trees.delete(paths.installBase());
            if (purge) {
                for (var dir : List.of(paths.configDir(), paths.dataDir(), paths.logDir())) {
                    Trees.delete(dir);
                }
                String msg = "purged " + paths.name() + ": service, runtime, config, data, state and logs removed";
                return new Outcome(ExitCode.OK, "uninstall", "purged", paths.name(), null, null, msg, null, null, notes);
            }
            if (state != null) {
                StateStore.write(paths, state.uninstalled(ctx.clock().instant()));
            }
            String msg = installed ? "uninstalled " + paths.name() + " " + state.current().release()
                    + "; config, agent data and logs kept (uninstall --purge removes them)"
                    : paths.name() + " was not installed; nothing to remove";
            if (Files.isDirectory(paths.logDir()) || installed) {
                InstallLog.append(paths, new InstallLog.Line(ctx.clock().instant(), "uninstall", paths.name(),
                        installed ? state.current().version() : null, installed ? state.current().sequence() : null, null, null,
                        "uninstalled", 0, (System.nanoTime() - started) / 1_000_000, msg, notes));
            }
            return new Outcome(ExitCode.OK, "uninstall", installed ? "uninstalled" : "not-installed", paths.name(), null, null, msg,
                    null, null, notes);
        } catch (IOException e) {
            throw new UncheckedIOException("uninstall of " + paths.name() + " failed", e);
        }
    }

    private static ServiceSpec spec(HostPaths paths, InstallState state) {
        if (state != null && state.current() != null) {
            try {
                var release = paths.release(state.current().release());
                Profile profile = ReleaseManifest.profile(ReleaseManifest.read(release));
                return ServiceSpecs.of(profile, paths, RenderedConfig.render(profile, release, paths).exec());
            } catch (RuntimeException e) {
                // A damaged release must not block its own removal: stop the service by name.
            }
        }
        return ServiceSpecs.byName(paths.name(), paths);
    }
}
