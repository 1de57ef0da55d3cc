package dev.ferry.installer.status;

import dev.ferry.common.Sanitizer;
import dev.ferry.installer.host.HostPaths;
import dev.ferry.installer.host.InstallState;
import dev.ferry.installer.host.InstallState.ReleaseRecord;
import dev.ferry.installer.host.ReleaseManifest;
import dev.ferry.installer.host.StateStore;
import dev.ferry.installer.preflight.WindowChecks;
import dev.ferry.installer.service.ServiceManager;
import dev.ferry.installer.service.ServiceStatus;
import dev.ferry.installer.transaction.RenderedConfig;
import dev.ferry.installer.transaction.ServiceSpecs;
import dev.ferry.profiles.Profile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/** Builds {@code installer status} from state.json, the release's manifest, the service manager and the disk. Reads only. */
public final class Status {
    private Status() {}

    public static StatusReport of(HostPaths paths, ServiceManager manager, Clock clock) {
        InstallState state = StateStore.read(paths).orElse(null);
        if (state == null || state.current() == null) {
            return StatusReport.notInstalled(
                    paths.name(), state == null ? null : state.uninstalledAt(), interrupted(state));
        }
        Instant now = clock.instant();
        ReleaseRecord cur = state.current();
        Path release = paths.release(cur.release());
        List<String> drift;
        ServiceStatus service;
        if (Files.isRegularFile(release.resolve(ReleaseManifest.FILE))) {
            drift = Drift.of(release, ReleaseManifest.read(release));
            Profile profile = ReleaseManifest.profile(ReleaseManifest.read(release));
            service = manager.status(ServiceSpecs.of(profile, paths, execOrEmpty(profile, release, paths)));
        } else {
            drift = List.of(ReleaseManifest.FILE); // the release folder itself is gone or damaged
            service = manager.status(ServiceSpecs.byName(paths.name(), paths));
        }
        InstallState.TokenRecord t = state.token();
        StatusReport.Token token = t == null || t.notAfter() == null
                ? null
                : new StatusReport.Token(
                        t.id() == null ? null : Sanitizer.printable(t.id()),
                        t.notBefore(),
                        t.notAfter(),
                        WindowChecks.daysLeft(t.notAfter(), now),
                        (t.notBefore() == null || !now.isBefore(t.notBefore())) && now.isBefore(t.notAfter()),
                        t.source());
        StatusReport.Bundle bundle = new StatusReport.Bundle(
                cur.bundleSha256(),
                cur.signers(),
                cur.bundleExpiresAt(),
                cur.bundleExpiresAt() == null ? 0 : WindowChecks.daysLeft(cur.bundleExpiresAt(), now),
                cur.installedAt(),
                existing(release.resolve(SBOM)),
                existing(release.resolve(PROVENANCE)));
        StatusReport.SelfTest test = state.selfTest() == null
                ? null
                : new StatusReport.SelfTest(
                        state.selfTest().at(),
                        state.selfTest().result(),
                        state.selfTest().failures());
        return new StatusReport(
                true,
                paths.name(),
                cur.version(),
                cur.sequence(),
                cur.release(),
                cur.profileName() == null ? null : Sanitizer.printable(cur.profileName()),
                service.state(),
                token,
                bundle,
                test,
                LastContact.of(paths).orElse(null),
                state.previous() == null ? null : state.previous().release(),
                drift,
                null,
                interrupted(state),
                service.managerState() == null ? null : service,
                DeltaBases.of(paths, state, drift));
    }

    /** Where a release keeps its SBOM and provenance (the bundle's payload/sbom/, SPEC section 12). */
    static final String SBOM = "sbom/bom.cdx.json";

    static final String PROVENANCE = "sbom/provenance.dsse.json";

    private static String existing(Path file) {
        return Files.isRegularFile(file) ? file.toString() : null;
    }

    /** The transaction a crash left unfinished, in one line, or null. */
    private static String interrupted(InstallState state) {
        if (state == null || state.pending() == null) {
            return null;
        }
        InstallState.Pending p = state.pending();
        return "an interrupted " + p.action() + " of " + p.releases().newRelease() + " (started " + p.startedAt()
                + ", reached "
                + p.phase().name().toLowerCase(Locale.ROOT) + ") is undone by the next install, reinstall,"
                + " register, rollback or uninstall";
    }

    private static List<String> execOrEmpty(Profile profile, Path release, HostPaths paths) {
        try {
            return RenderedConfig.render(profile, release, paths).exec();
        } catch (RuntimeException e) {
            return List.of();
        }
    }
}
