package dev.ferry.installer.selftest;

import dev.ferry.installer.host.HostPaths;
import dev.ferry.profiles.Profile;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The self-test plan of an installed profile: bundle paths replaced by installed ones (CA, proxy password). */
public final class SelfTestPlans {
    private SelfTestPlans() {}

    public static Optional<SelfTestPlan> of(Profile profile, HostPaths paths, Duration timeout) {
        if (profile.platform() == null || profile.platform().endpoint() == null) {
            return Optional.empty();
        }
        Profile.Platform p = profile.platform();
        ProxySettings proxy = profile.proxy() == null || profile.proxy().url() == null
                ? null
                : new ProxySettings(
                        URI.create(profile.proxy().url()),
                        profile.proxy().username(),
                        profile.proxy().passwordFile() != null && Files.exists(paths.proxyPasswordFile())
                                ? paths.proxyPasswordFile()
                                : null,
                        profile.proxy().noProxy());
        List<TargetSpec> targets = profile.targets() == null
                ? List.of()
                : profile.targets().stream()
                        .map(t -> new TargetSpec(
                                t.name(),
                                t.host(),
                                t.port(),
                                t.probe(),
                                t.timeoutSeconds() == null ? null : Duration.ofSeconds(t.timeoutSeconds())))
                        .toList();
        Profile.Prerequisites pre = profile.prerequisites();
        SelfTestPlan plan = new SelfTestPlan(
                URI.create(p.endpoint()),
                p.healthPath(),
                p.websocket() == null ? null : URI.create(p.websocket()),
                p.caFile() != null && Files.exists(paths.platformCaFile()) ? paths.platformCaFile() : null,
                proxy,
                targets,
                pre == null ? null : pre.ntpServers(),
                pre == null || pre.maxClockSkewSeconds() == null ? 0 : pre.maxClockSkewSeconds(),
                null);
        return Optional.of(timeout == null ? plan : plan.withTimeoutOverride(timeout));
    }

    /**
     * The clock check's plan. The platform CA is the installed one when there is one: before the first install it is
     * still inside the unverified bundle. The clock check reads the Date header either way ({@link ClockCheck}).
     */
    public static Optional<SelfTestPlan> forClock(Profile profile, HostPaths paths) {
        Profile.Prerequisites pre = profile.prerequisites();
        boolean ntp =
                pre != null && pre.ntpServers() != null && !pre.ntpServers().isEmpty();
        if (profile.platform() == null || profile.platform().endpoint() == null) {
            if (!ntp) {
                return Optional.empty();
            }
            return Optional.of(new SelfTestPlan(
                    URI.create("https://localhost"),
                    null,
                    null,
                    null,
                    null,
                    List.of(),
                    pre.ntpServers(),
                    pre.maxClockSkewSeconds() == null ? 0 : pre.maxClockSkewSeconds(),
                    null));
        }
        Profile.Platform p = profile.platform();
        ProxySettings proxy = profile.proxy() == null || profile.proxy().url() == null
                ? null
                : new ProxySettings(
                        URI.create(profile.proxy().url()),
                        profile.proxy().username(),
                        null,
                        profile.proxy().noProxy());
        Path installedCa = p.caFile() != null && paths != null && Files.isRegularFile(paths.platformCaFile())
                ? paths.platformCaFile()
                : null;
        return Optional.of(new SelfTestPlan(
                URI.create(p.endpoint()),
                p.healthPath(),
                null,
                installedCa,
                proxy,
                List.of(),
                pre == null ? null : pre.ntpServers(),
                pre == null || pre.maxClockSkewSeconds() == null ? 0 : pre.maxClockSkewSeconds(),
                null));
    }
}
