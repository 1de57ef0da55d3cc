package dev.ferry.profiles;

import dev.ferry.profiles.Node.MapNode;
import dev.ferry.profiles.Node.ScalarNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a merged profile tree into a {@link Profile}, checking every field (SPEC section 3). Each section's method
 * lists the fields it knows, so an unknown one is reported with a suggestion.
 */
final class ProfileBinder {
    private static final List<String> TOP = List.of(
            "name",
            "agent",
            "service",
            "platform",
            "proxy",
            "templates",
            "token",
            "prerequisites",
            "targets",
            "bundle");
    private static final Set<String> OS = Set.of("linux", "windows");
    private static final Set<String> PROBES = Set.of("tcp", "tls", "ssh");
    private static final String DEFAULT_PROBE = "tcp";

    private ProfileBinder() {}

    static Profile bind(MapNode root) {
        Fields top = Fields.of(root, "", TOP);
        String name = Values.safeName(nonBlank(top, "name", true), "name");
        return new Profile(
                name,
                agent(top),
                service(top),
                platform(top),
                proxy(top),
                templates(top),
                token(top),
                prerequisites(top),
                targets(top),
                bundle(top));
    }

    private static Profile.Agent agent(Fields top) {
        top.required("agent");
        Fields f = top.section("agent", List.of("name", "version", "runtime", "exec"));
        String name = Values.safeName(nonBlank(f, "name", true), f.path("name"));
        String version = Values.safeName(nonBlank(f, "version", true), f.path("version"));
        String runtime = FileReferences.folder(nonBlank(f, "runtime", true), f.path("runtime"));
        f.required("exec");
        List<String> exec = f.texts("exec");
        if (exec.isEmpty()) {
            throw ProfileErrors.at(f.node("exec"), f.path("exec"), "must name the program to run");
        }
        return new Profile.Agent(name, version, runtime, exec);
    }

    private static Profile.Service service(Fields top) {
        top.required("service");
        Fields f = top.section("service", List.of("name", "user"));
        String name = Values.safeName(nonBlank(f, "name", true), f.path("name"));
        ScalarNode user = nonBlank(f, "user", false);
        if (user != null && user.text().chars().anyMatch(Character::isWhitespace)) {
            throw ProfileErrors.at(
                    user, f.path("user"), "expected an account name without spaces, got '" + user.text() + "'");
        }
        return new Profile.Service(name, user == null ? null : user.text());
    }

    /** The agent authenticates to the platform with the bundle's token, a secret that travels as a file. */
    private static final String PLATFORM_CREDENTIALS =
            "the agent authenticates with the token (--token or token.file), which travels as a secret file";

    private static Profile.Platform platform(Fields top) {
        top.required("platform");
        Fields f = top.section("platform", List.of("endpoint", "healthPath", "websocket", "caFile"));
        ScalarNode endpoint = nonBlank(f, "endpoint", true);
        Values.url(endpoint, f.path("endpoint"), Set.of("https"), "an https:// URL", PLATFORM_CREDENTIALS);
        ScalarNode healthPath = nonBlank(f, "healthPath", false);
        if (healthPath != null && !healthPath.text().startsWith("/")) {
            throw ProfileErrors.at(
                    healthPath,
                    f.path("healthPath"),
                    "expected a path starting with '/', got '" + healthPath.text() + "'");
        }
        ScalarNode websocket = nonBlank(f, "websocket", false);
        if (websocket != null) {
            Values.url(
                    websocket, f.path("websocket"), Set.of("wss", "ws"), "a wss:// or ws:// URL", PLATFORM_CREDENTIALS);
        }
        ScalarNode caFile = nonBlank(f, "caFile", false);
        return new Profile.Platform(
                endpoint.text(),
                healthPath == null ? null : healthPath.text(),
                websocket == null ? null : websocket.text(),
                caFile == null ? null : FileReferences.regularFile(caFile, f.path("caFile")));
    }

    /**
     * A proxy password never sits in a profile: not inline ({@code password}) and not in the URL's userinfo, since
     * profiles are shared and committed. It lives in the file {@code passwordFile} names and travels as a secret.
     */
    private static Profile.Proxy proxy(Fields top) {
        Node section = top.node("proxy");
        if (section instanceof MapNode map && map.get("password") != null) {
            throw ProfileErrors.at(
                    map.get("password"),
                    top.path("proxy") + ".password",
                    "an inline password is refused: put it in a file and name that file in proxy.passwordFile");
        }
        Fields f = top.section("proxy", List.of("url", "username", "passwordFile", "noProxy"));
        if (f == null) {
            return null;
        }
        ScalarNode url = nonBlank(f, "url", true);
        Values.url(
                url,
                f.path("url"),
                Set.of("http"),
                "an http:// URL",
                "put the user in proxy.username and the password in the file named by proxy.passwordFile");
        ScalarNode username = nonBlank(f, "username", false);
        ScalarNode passwordFile = nonBlank(f, "passwordFile", false);
        return new Profile.Proxy(
                url.text(),
                username == null ? null : username.text(),
                passwordFile == null ? null : FileReferences.regularFile(passwordFile, f.path("passwordFile")),
                f.texts("noProxy"));
    }

    private static List<Profile.Template> templates(Fields top) {
        List<Node> items = top.list("templates");
        if (items == null) {
            return null;
        }
        List<Profile.Template> templates = new ArrayList<>();
        Map<String, String> targets = new HashMap<>();
        for (int i = 0; i < items.size(); i++) {
            String path = top.path("templates") + "[" + i + "]";
            Fields f = Fields.of(items.get(i), path, List.of("source", "target"));
            String source = FileReferences.regularFile(nonBlank(f, "source", true), f.path("source"));
            ScalarNode target = nonBlank(f, "target", true);
            String normalized = relativeTarget(target, f.path("target"));
            String earlier = targets.putIfAbsent(normalized, path);
            if (earlier != null) {
                throw ProfileErrors.at(
                        target, f.path("target"), "'" + target.text() + "' is already rendered by " + earlier);
            }
            templates.add(new Profile.Template(source, target.text()));
        }
        return templates;
    }

    /** Templates render into the config folder: a target may not escape it. */
    private static String relativeTarget(ScalarNode target, String field) {
        String text = target.text().replace('\\', '/');
        boolean escapes = text.startsWith("/")
                || text.matches("^[A-Za-z]:.*")
                || List.of(text.split("/")).contains("..");
        if (escapes) {
            throw ProfileErrors.at(
                    target, field, "expected a file name inside the config folder, got '" + target.text() + "'");
        }
        return text;
    }

    private static Profile.Token token(Fields top) {
        Fields f = top.section("token", List.of("file", "notBefore", "notAfter"));
        if (f == null) {
            return null;
        }
        ScalarNode file = nonBlank(f, "file", false);
        Instant notBefore = f.instant("notBefore");
        Instant notAfter = f.instant("notAfter");
        if (notBefore != null && notAfter != null && !notBefore.isBefore(notAfter)) {
            throw ProfileErrors.at(
                    f.node("notAfter"),
                    f.path("notAfter"),
                    "must be after token.notBefore (" + notBefore + "), got " + notAfter);
        }
        return new Profile.Token(
                file == null ? null : FileReferences.regularFile(file, f.path("file")), notBefore, notAfter);
    }

    private static Profile.Prerequisites prerequisites(Fields top) {
        Fields f = top.section(
                "prerequisites", List.of("os", "requireAdmin", "minFreeDiskMb", "maxClockSkewSeconds", "ntpServers"));
        if (f == null) {
            return null;
        }
        List<String> os = f.texts("os");
        if (os != null) {
            List<Node> nodes = f.list("os");
            for (int i = 0; i < os.size(); i++) {
                Fields.oneOf((ScalarNode) nodes.get(i), f.path("os") + "[" + i + "]", os.get(i), OS);
            }
        }
        return new Profile.Prerequisites(
                os,
                f.bool("requireAdmin"),
                f.integer("minFreeDiskMb", 0, Long.MAX_VALUE),
                f.integer("maxClockSkewSeconds", 1, Long.MAX_VALUE),
                f.texts("ntpServers"));
    }

    private static List<Profile.Target> targets(Fields top) {
        List<Node> items = top.list("targets");
        if (items == null) {
            return null;
        }
        List<Profile.Target> targets = new ArrayList<>();
        Map<String, String> names = new HashMap<>();
        for (int i = 0; i < items.size(); i++) {
            String path = top.path("targets") + "[" + i + "]";
            Fields f = Fields.of(items.get(i), path, List.of("name", "host", "port", "probe", "timeoutSeconds"));
            ScalarNode nameNode = nonBlank(f, "name", true);
            String name = Values.safeName(nameNode, f.path("name"));
            String earlier = names.putIfAbsent(name, path);
            if (earlier != null) {
                throw ProfileErrors.at(nameNode, f.path("name"), "'" + name + "' is already the name of " + earlier);
            }
            ScalarNode host = nonBlank(f, "host", true);
            if (host.text().chars().anyMatch(c -> Character.isWhitespace(c) || c == '/')) {
                throw ProfileErrors.at(
                        host, f.path("host"), "expected a host name or IP address, got '" + host.text() + "'");
            }
            f.required("port");
            int port = f.integer("port", 1, 65535).intValue();
            ScalarNode probe = nonBlank(f, "probe", false);
            if (probe != null) {
                Fields.oneOf(probe, f.path("probe"), probe.text(), PROBES);
            }
            Long timeout = f.integer("timeoutSeconds", 1, 3600);
            targets.add(new Profile.Target(
                    name,
                    host.text(),
                    port,
                    probe == null ? DEFAULT_PROBE : probe.text(),
                    timeout == null ? null : timeout.intValue()));
        }
        return targets;
    }

    /** {@code validityDays} null means "use the default" (90 days, SPEC section 2); likewise {@code sequence}. */
    private static Profile.BundleSettings bundle(Fields top) {
        Fields f = top.section("bundle", List.of("validityDays", "sequence"));
        if (f == null) {
            return null;
        }
        Long validityDays = f.integer("validityDays", 1, 36500);
        return new Profile.BundleSettings(
                validityDays == null ? null : validityDays.intValue(), f.integer("sequence", 1, Long.MAX_VALUE));
    }

    /** The scalar at {@code key}, checked to be non-blank text; null when optional and absent. */
    private static ScalarNode nonBlank(Fields f, String key, boolean required) {
        if (required) {
            f.required(key);
        }
        f.text(key);
        return f.scalar(key);
    }
}
