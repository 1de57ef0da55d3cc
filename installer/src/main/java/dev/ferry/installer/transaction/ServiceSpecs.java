package dev.ferry.installer.transaction;

import dev.ferry.installer.host.HostPaths;
import dev.ferry.installer.service.ServiceSpec;
import dev.ferry.profiles.Profile;
import java.util.List;

/** The service registration of an agent: its exec rendered, running from {@code current}. */
public final class ServiceSpecs {
    private ServiceSpecs() {}

    public static ServiceSpec of(Profile profile, HostPaths paths, List<String> exec) {
        return new ServiceSpec(
                serviceName(profile, paths),
                profile.service() == null ? null : profile.service().user(),
                exec,
                paths.current(),
                paths.serviceStateDir(),
                List.of(paths.dataDir(), paths.logDir()),
                paths.logDir(),
                paths.configDir(),
                List.of(paths.tokenFile(), paths.proxyPasswordFile()));
    }

    /** Enough of a spec to stop and remove a service whose profile is gone (recovery, uninstall of a wreck). */
    public static ServiceSpec byName(String name, HostPaths paths) {
        return new ServiceSpec(
                name,
                null,
                List.of(),
                paths.current(),
                paths.serviceStateDir(),
                List.of(paths.dataDir(), paths.logDir()),
                paths.logDir());
    }

    public static String serviceName(Profile profile, HostPaths paths) {
        return profile.service() != null && profile.service().name() != null
                ? profile.service().name()
                : paths.name();
    }
}
