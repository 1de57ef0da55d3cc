package dev.ferry.installer.transaction;

import dev.ferry.bundle.BundleLayout;
import dev.ferry.installer.host.HostPaths;
import dev.ferry.profiles.ConfigTemplates;
import dev.ferry.profiles.Profile;
import java.util.Map;

/**
 * The variables of config templates and {@code agent.exec} (SPEC section 3): installed paths, not bundle paths.
 * The table itself is {@link ConfigTemplates}, the one the bundle verifier and {@code bundler create} check
 * templates against, so a template that verified renders here.
 */
public final class TemplateVariables {
    private TemplateVariables() {}

    public static Map<String, Object> of(Profile profile, HostPaths paths) {
        return ConfigTemplates.variables(
                profile,
                new ConfigTemplates.InstalledPaths(
                        paths.current().toString(),
                        paths.configDir().toString(),
                        paths.dataDir().toString(),
                        paths.logDir().toString(),
                        paths.tokenFile().toString(),
                        paths.current().resolve("runtime").toString(),
                        paths.platformCaFile().toString(),
                        paths.proxyPasswordFile().toString()));
    }

    /** Where a template source named in the manifest ({@code payload/templates/...}) lives in a release. */
    public static String releaseRelative(String bundlePath) {
        return bundlePath.startsWith(BundleLayout.PAYLOAD)
                ? bundlePath.substring(BundleLayout.PAYLOAD.length())
                : bundlePath;
    }
}
