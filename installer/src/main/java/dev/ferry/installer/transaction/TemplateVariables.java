package dev.ferry.installer.transaction;

import dev.ferry.bundle.BundleLayout;
import dev.ferry.installer.host.HostPaths;
import dev.ferry.profiles.Profile;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The variables of config templates and {@code agent.exec} (SPEC section 3): installed paths, not bundle paths.
 * Absent optional values are left out, so a template that uses one fails by name instead of rendering "".
 * The proxy password is never a variable: {@code proxy.passwordFile} is its installed path.
 */
public final class TemplateVariables {
    private TemplateVariables() {}

    public static Map<String, Object> of(Profile profile, HostPaths paths) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("installDir", paths.current().toString());
        v.put("configDir", paths.configDir().toString());
        v.put("dataDir", paths.dataDir().toString());
        v.put("logDir", paths.logDir().toString());
        v.put("tokenFile", paths.tokenFile().toString());
        Map<String, Object> agent = new LinkedHashMap<>();
        if (profile.agent() != null) {
            put(agent, "name", profile.agent().name());
            put(agent, "version", profile.agent().version());
            agent.put("runtime", paths.current().resolve("runtime").toString());
        }
        v.put("agent", agent);
        if (profile.service() != null) {
            Map<String, Object> service = new LinkedHashMap<>();
            put(service, "name", profile.service().name());
            put(service, "user", profile.service().user());
            v.put("service", service);
        }
        if (profile.platform() != null) {
            Map<String, Object> platform = new LinkedHashMap<>();
            put(platform, "endpoint", profile.platform().endpoint());
            put(platform, "healthPath", profile.platform().healthPath());
            put(platform, "websocket", profile.platform().websocket());
            if (profile.platform().caFile() != null) {
                platform.put("caFile", paths.platformCaFile().toString());
            }
            v.put("platform", platform);
        }
        if (profile.proxy() != null) {
            Map<String, Object> proxy = new LinkedHashMap<>();
            put(proxy, "url", profile.proxy().url());
            put(proxy, "username", profile.proxy().username());
            if (profile.proxy().passwordFile() != null) {
                proxy.put("passwordFile", paths.proxyPasswordFile().toString());
            }
            if (profile.proxy().noProxy() != null) {
                proxy.put("noProxy", String.join(",", profile.proxy().noProxy()));
                proxy.put("noProxyList", profile.proxy().noProxy());
            }
            v.put("proxy", proxy);
        }
        v.put("profile", Map.of("name", profile.name() == null ? "" : profile.name()));
        return v;
    }

    private static void put(Map<String, Object> map, String key, String value) {
        if (value != null) {
            map.put(key, value);
        }
    }

    /** Where a template source named in the manifest ({@code payload/templates/...}) lives in a release. */
    public static String releaseRelative(String bundlePath) {
        return bundlePath.startsWith(BundleLayout.PAYLOAD) ? bundlePath.substring(BundleLayout.PAYLOAD.length()) : bundlePath;
    }
}
