package dev.ferry.profiles;

import com.samskivert.mustache.Mustache;
import com.samskivert.mustache.MustacheException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Config templates and {@code agent.exec} (SPEC section 3): the variables they may use and how they render. One
 * place for both sides: the installer renders with the host's real paths; {@code bundler create} and the bundle
 * verifier render with placeholder paths, because whether a template renders depends only on which variables exist
 * (a missing one is an error naming it), never on the paths' text.
 */
public final class ConfigTemplates {
    private static final Mustache.Compiler COMPILER =
            Mustache.compiler().escapeHTML(false).strictSections(false);
    public static final String KNOWN =
            "installDir, configDir, dataDir, logDir, tokenFile, agent.*, service.*, platform.*, "
                    + "proxy.*, profile.name";

    /** The installed paths templates may name (strings, so either side can fill them in). */
    public record InstalledPaths(
            String installDir,
            String configDir,
            String dataDir,
            String logDir,
            String tokenFile,
            String runtime,
            String platformCaFile,
            String proxyPasswordFile) {
        /** The Linux layout of SPEC section 4, for checking: the text of a path never decides whether a template renders. */
        public static InstalledPaths placeholder(String agent) {
            String name = agent == null ? "agent" : agent;
            String config = "/etc/ferry/" + name;
            return new InstalledPaths(
                    "/opt/ferry/" + name + "/current",
                    config,
                    "/var/lib/ferry/" + name,
                    "/var/log/ferry/" + name,
                    config + "/token",
                    "/opt/ferry/" + name + "/current/runtime",
                    config + "/platform-ca.pem",
                    config + "/proxy-password");
        }
    }

    /** A template that does not render: the message names the template, the variable and the line. */
    public static final class RenderException extends RuntimeException {
        RenderException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private ConfigTemplates() {}

    /**
     * The variables. Absent optional values are left out, so a template that uses one fails by name instead of
     * rendering "". The proxy password is never a variable: {@code proxy.passwordFile} is its installed path.
     */
    public static Map<String, Object> variables(Profile profile, InstalledPaths paths) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("installDir", paths.installDir());
        v.put("configDir", paths.configDir());
        v.put("dataDir", paths.dataDir());
        v.put("logDir", paths.logDir());
        v.put("tokenFile", paths.tokenFile());
        Map<String, Object> agent = new LinkedHashMap<>();
        if (profile.agent() != null) {
            put(agent, "name", profile.agent().name());
            put(agent, "version", profile.agent().version());
            agent.put("runtime", paths.runtime());
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
                platform.put("caFile", paths.platformCaFile());
            }
            v.put("platform", platform);
        }
        if (profile.proxy() != null) {
            Map<String, Object> proxy = new LinkedHashMap<>();
            put(proxy, "url", profile.proxy().url());
            put(proxy, "username", profile.proxy().username());
            if (profile.proxy().passwordFile() != null) {
                proxy.put("passwordFile", paths.proxyPasswordFile());
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

    /** Renders one template (or one {@code agent.exec} argument) named {@code name}. */
    public static String render(String name, String text, Map<String, Object> vars) {
        try {
            return COMPILER.compile(text).execute(vars);
        } catch (MustacheException.Context e) {
            throw new RenderException(
                    "template " + name + ": no variable '" + e.key + "' (line " + e.lineNo + "); known: " + KNOWN, e);
        } catch (MustacheException e) {
            throw new RenderException("template " + name + ": " + e.getMessage(), e);
        } catch (UnsupportedOperationException e) {
            // jmustache's way of refusing a partial ({{>name}}) when no loader is set: there is none on a host.
            throw new RenderException("template " + name + ": partials ({{>name}}) are not supported", e);
        }
    }

    /** Why {@code text} would not render on a host for {@code profile}, or null. */
    public static String problem(String name, String text, Profile profile) {
        try {
            render(name, text, variables(profile, InstalledPaths.placeholder(agentName(profile))));
            return null;
        } catch (RenderException e) {
            return e.getMessage();
        }
    }

    /** {@code agent.exec[0]} rendered with the placeholder paths (the profile's exec must render). */
    static String renderedProgram(Profile profile) {
        return render(
                "agent.exec",
                profile.agent().exec().get(0),
                variables(profile, InstalledPaths.placeholder(agentName(profile))));
    }

    private static String agentName(Profile profile) {
        return profile.agent() == null ? null : profile.agent().name();
    }

    private static void put(Map<String, Object> map, String key, String value) {
        if (value != null) {
            map.put(key, value);
        }
    }
}
