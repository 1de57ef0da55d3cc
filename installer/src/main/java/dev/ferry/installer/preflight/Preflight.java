package dev.ferry.installer.preflight;

import dev.ferry.bundle.FileEntry;
import dev.ferry.bundle.SecretDigest;
import dev.ferry.installer.check.Check;
import dev.ferry.installer.check.CheckReport;
import dev.ferry.installer.delta.BaseRelease;
import dev.ferry.installer.service.ServiceManager;
import dev.ferry.profiles.Profile;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/** SPEC section 6 preflight: the host checks, in a fixed order, each timed. Changes nothing. */
public final class Preflight {
    private final Clock clock;
    private final HostFacts host;
    private final ClockProbe clockProbe;
    private final ServiceManager serviceManager;

    private final Set<String> revokedTokens;

    public Preflight(Clock clock, HostFacts host, ClockProbe clockProbe, ServiceManager serviceManager) {
        this(clock, host, clockProbe, serviceManager, Set.of());
    }

    /** @param revokedTokens token ids the pinned trust chain revokes: the token-window check names them */
    public Preflight(
            Clock clock,
            HostFacts host,
            ClockProbe clockProbe,
            ServiceManager serviceManager,
            Set<String> revokedTokens) {
        this.revokedTokens = Set.copyOf(revokedTokens);
        this.clock = clock;
        this.host = host;
        this.clockProbe = clockProbe;
        this.serviceManager = serviceManager;
    }

    public CheckReport run(PreflightInput in) {
        Profile.Prerequisites pre = in.profile().prerequisites();
        List<Check> checks = new ArrayList<>();
        checks.add(timed(() -> HostChecks.os(host, pre == null ? null : pre.os())));
        checks.add(timed(() -> HostChecks.privileges(host, pre != null && Boolean.TRUE.equals(pre.requireAdmin()))));
        checks.add(timed(() -> clockProbe.check(in.profile(), in.paths())));
        long minMb = pre == null || pre.minFreeDiskMb() == null ? 0 : pre.minFreeDiskMb();
        checks.add(timed(
                () -> DiskCheck.run(in.paths().writtenFolders(), in.paths().installBase(), minMb, unpackedBytes(in))));
        checks.add(timed(serviceManager::check));
        checks.add(timed(() -> WindowChecks.tokenWindow(in.token(), clock.instant(), revokedTokens)));
        checks.add(timed(() -> WindowChecks.bundleExpiry(in.bundle(), in.state(), clock.instant())));
        checks.add(timed(() -> WindowChecks.sequence(in.bundle(), in.state(), in.allowDowngrade())));
        checks.add(timed(() -> BaseRelease.check(in.bundle(), in.paths(), in.state())));
        return new CheckReport(checks);
    }

    /** Saturates instead of overflowing: the manifest is not verified yet, and absurd sizes must fail the disk check. */
    private static long unpackedBytes(PreflightInput in) {
        if (in.bundle() == null || in.bundle().files() == null) {
            return 0;
        }
        long total = 0;
        for (FileEntry f : in.bundle().files()) {
            // A secret's size is not published: count the most it may have.
            long size = f.isSecret() ? SecretDigest.MAX_SECRET_BYTES : f.size();
            total = size < 0 || total > Long.MAX_VALUE - size ? Long.MAX_VALUE : total + size;
        }
        return total;
    }

    private static Check timed(Supplier<Check> check) {
        long start = System.nanoTime();
        Check c = check.get();
        return c.ms() > 0 ? c : c.withMs((System.nanoTime() - start) / 1_000_000);
    }
}
