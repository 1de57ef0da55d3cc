package dev.ferry.profiles;

import dev.ferry.common.Sanitizer;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The one table of rules for every profile field that reaches a host: names that become unit names, accounts and
 * folders, the command line the service runs, the config files templates render into, the addresses self-tests
 * connect to and the proxy settings written to an environment file. Both sides consult it: {@code ProfileLoader}
 * (so {@code bundler create} refuses such a profile up front, naming file, line and field) and the bundle module's
 * verifier (so {@code verify}, {@code inspect --trust} and {@code install} refuse a signed bundle that carries one,
 * exit 3, before the installer could trip over it).
 *
 * <p>Paths to local files (template sources, {@code caFile}, {@code passwordFile}) differ on the two sides (local
 * files in a profile, bundle paths in a manifest), so the bundle module checks those itself.
 */
public final class HostFields {
    /** Why one field is refused: its full name ({@code targets[1].host}) and one line; {@code path} for a traversal. */
    public record Problem(String field, String what, boolean path) {
        @Override
        public String toString() {
            return field + ": " + what;
        }
    }

    /** Names become folder, file and unit names on Linux and Windows (SPEC section 4). */
    private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
    /**
     * A POSIX account, a directory one ({@code svc@corp.example}, as SSSD names them) or a Windows one without a
     * domain ({@code svc$} for a managed service account): nothing a unit file, {@code id} or {@code sc.exe} would split.
     */
    private static final Pattern ACCOUNT = Pattern.compile("[A-Za-z_][A-Za-z0-9_.@-]{0,63}\\$?");
    /** Host names and IP literals (v6 bare or in brackets), as resolvers and self-tests take them; no IDN text. */
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9_.:\\[\\]-]{1,253}");
    /** A {@code noProxy} entry: a host, a domain ({@code .corp.example}), a CIDR or {@code *}: joined with ','. */
    private static final Pattern NO_PROXY = Pattern.compile("\\*|[A-Za-z0-9_.:\\[\\]/-]{1,253}");

    private static final Set<String> PROBES = Set.of("tcp", "tls", "ssh");
    private static final Set<String> OS = Set.of("linux", "windows");
    /** Files the installer writes into the config folder itself: a template may not render over them. */
    private static final Set<String> RESERVED_TARGETS =
            Set.of("token", "proxy-password", "platform-ca.pem", "proxy.env");

    private static final int MAX_TEXT = 4096;

    private HostFields() {}

    /** The first host-facing field of {@code p} that a host would refuse or misuse, or null. */
    public static Problem firstProblem(Profile p) {
        Checks c = new Checks();
        c.check("name", p.name() == null ? null : safeName(p.name()));
        agent(c, p.agent(), p);
        service(c, p.service());
        platform(c, p.platform());
        proxy(c, p.proxy());
        templates(c, p.templates());
        targets(c, p.targets());
        prerequisites(c, p.prerequisites());
        return c.first;
    }

    private static void agent(Checks c, Profile.Agent agent, Profile p) {
        if (agent == null) {
            return;
        }
        c.check("agent.name", agent.name() == null ? null : safeName(agent.name()));
        c.check("agent.version", agent.version() == null ? null : safeName(agent.version()));
        List<String> exec = agent.exec();
        if (exec == null) {
            return;
        }
        if (exec.isEmpty()) {
            c.check("agent.exec", "must name the program to run");
        }
        for (int i = 0; i < exec.size(); i++) {
            String field = "agent.exec[" + i + "]";
            c.check(field, text(exec.get(i)));
            if (c.first == null) {
                c.check(field, ConfigTemplates.problem(field, exec.get(i), p));
            }
        }
        if (c.first == null && !exec.isEmpty()) {
            c.check("agent.exec[0]", program(ConfigTemplates.renderedProgram(p)));
        }
    }

    private static void service(Checks c, Profile.Service service) {
        if (service == null) {
            return;
        }
        c.check("service.name", service.name() == null ? null : safeName(service.name()));
        c.check("service.user", service.user() == null ? null : account(service.user()));
    }

    private static void platform(Checks c, Profile.Platform platform) {
        if (platform == null) {
            return;
        }
        c.check("platform.endpoint", platform.endpoint() == null ? null : url(platform.endpoint(), Set.of("https")));
        c.check("platform.healthPath", platform.healthPath() == null ? null : healthPath(platform.healthPath()));
        c.check(
                "platform.websocket",
                platform.websocket() == null ? null : url(platform.websocket(), Set.of("wss", "ws")));
    }

    private static void proxy(Checks c, Profile.Proxy proxy) {
        if (proxy == null) {
            return;
        }
        c.check("proxy.url", proxy.url() == null ? "required field is missing" : url(proxy.url(), Set.of("http")));
        c.check("proxy.username", proxy.username() == null ? null : proxyUser(proxy.username()));
        List<String> noProxy = proxy.noProxy() == null ? List.of() : proxy.noProxy();
        for (int i = 0; i < noProxy.size(); i++) {
            c.check("proxy.noProxy[" + i + "]", noProxy(noProxy.get(i)));
        }
    }

    private static void templates(Checks c, List<Profile.Template> templates) {
        if (templates == null) {
            return;
        }
        Set<String> targets = new HashSet<>();
        for (int i = 0; i < templates.size(); i++) {
            String field = "templates[" + i + "].target";
            String target = templates.get(i).target();
            String problem = templateTarget(target);
            if (problem != null) {
                c.path(field, problem);
            } else if (!targets.add(target.toLowerCase(Locale.ROOT))) {
                c.path(
                        field,
                        Sanitizer.quote(target)
                                + " is rendered twice (names that differ only in case are one file on Windows)");
            }
        }
    }

    private static void targets(Checks c, List<Profile.Target> targets) {
        if (targets == null) {
            return;
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < targets.size(); i++) {
            Profile.Target t = targets.get(i);
            String at = "targets[" + i + "].";
            c.check(at + "name", t.name() == null ? "required field is missing" : safeName(t.name()));
            if (t.name() != null && !names.add(t.name())) {
                c.check(at + "name", Sanitizer.quote(t.name()) + " names two targets");
            }
            c.check(at + "host", t.host() == null ? "required field is missing" : host(t.host()));
            c.check(
                    at + "port",
                    t.port() < 1 || t.port() > 65535 ? "expected a whole number 1-65535, got " + t.port() : null);
            c.check(
                    at + "probe",
                    t.probe() == null || PROBES.contains(t.probe())
                            ? null
                            : "expected one of ssh, tcp, tls, got " + Sanitizer.quote(t.probe()));
            Integer timeout = t.timeoutSeconds();
            c.check(
                    at + "timeoutSeconds",
                    timeout == null || timeout >= 1 && timeout <= 3600
                            ? null
                            : "expected a whole number 1-3600, got " + timeout);
        }
    }

    private static void prerequisites(Checks c, Profile.Prerequisites p) {
        if (p == null) {
            return;
        }
        List<String> os = p.os() == null ? List.of() : p.os();
        for (int i = 0; i < os.size(); i++) {
            c.check(
                    "prerequisites.os[" + i + "]",
                    OS.contains(os.get(i))
                            ? null
                            : "expected one of linux, windows, got " + Sanitizer.quote(os.get(i)));
        }
        c.check(
                "prerequisites.minFreeDiskMb",
                p.minFreeDiskMb() != null && p.minFreeDiskMb() < 0
                        ? "expected a whole number of at least 0, got " + p.minFreeDiskMb()
                        : null);
        c.check(
                "prerequisites.maxClockSkewSeconds",
                p.maxClockSkewSeconds() != null && p.maxClockSkewSeconds() < 1
                        ? "expected a whole number of at least 1, got " + p.maxClockSkewSeconds()
                        : null);
        List<String> ntp = p.ntpServers() == null ? List.of() : p.ntpServers();
        for (int i = 0; i < ntp.size(); i++) {
            c.check("prerequisites.ntpServers[" + i + "]", ntpServer(ntp.get(i)));
        }
    }

    // ---- single values: each returns why the value is refused, or null ----

    /** Letters, digits, '.', '_' and '-', starting with a letter or digit, at most 100 characters. */
    public static String safeName(String value) {
        return SAFE_NAME.matcher(value).matches()
                ? null
                : "expected letters, digits, '.', '_' or '-' (starting with a letter or "
                        + "digit, at most 100 characters), got " + Sanitizer.quote(value);
    }

    /** {@code service.user}: an account name as {@code useradd} makes them; it lands in a unit's {@code User=}. */
    public static String account(String value) {
        return ACCOUNT.matcher(value).matches()
                ? null
                : "expected an account name (a letter or '_', then letters, digits, '_', '.', '@' or '-', at most 64), got "
                        + Sanitizer.quote(value);
    }

    /** Text that reaches a unit file, a command line or a terminal: printable (no line break), bounded. */
    public static String text(String value) {
        if (value == null || value.isBlank()) {
            return "must not be empty";
        }
        if (value.length() > MAX_TEXT) {
            return "longer than " + MAX_TEXT + " characters";
        }
        return Sanitizer.isPrintable(value)
                ? null
                : "holds a control or invisible character: " + Sanitizer.quote(value);
    }

    /** The program {@code agent.exec[0]} names once rendered: an absolute path (systemd runs nothing else). */
    static String program(String rendered) {
        boolean absolute =
                rendered.startsWith("/") || rendered.matches("^[A-Za-z]:[\\\\/].*") || rendered.startsWith("\\\\");
        return absolute
                ? null
                : "expected an absolute path to the program (e.g. {{installDir}}/runtime/bin/agent), got "
                        + Sanitizer.quote(rendered);
    }

    /** A URL of one of {@code schemes}, with a host and without credentials. */
    public static String url(String value, Set<String> schemes) {
        String expected = "expected "
                + String.join(
                        " or ",
                        schemes.stream().sorted().map(s -> "a " + s + "://").toList()) + " URL with a host";
        String text = text(value);
        if (text != null) {
            return text;
        }
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            return expected;
        }
        if (uri.getRawUserInfo() != null) {
            return "credentials in the URL are refused";
        }
        if (uri.getScheme() == null
                || !schemes.contains(uri.getScheme().toLowerCase(Locale.ROOT))
                || uri.getHost() == null) {
            return expected + ", got " + Sanitizer.quote(value);
        }
        return null;
    }

    /** The health check's request path: it goes into an HTTP request line as it is. */
    public static String healthPath(String value) {
        String text = text(value);
        if (text != null) {
            return text;
        }
        return value.startsWith("/") && value.chars().noneMatch(Character::isWhitespace)
                ? null
                : "expected a path starting with '/' and without spaces, got " + Sanitizer.quote(value);
    }

    /** A host name or an IP address (self-test targets). */
    public static String host(String value) {
        return HOST.matcher(value).matches()
                ? null
                : "expected a host name or IP address (letters, digits, '.', '-', '_', ':' and brackets), got "
                        + Sanitizer.quote(value);
    }

    /** {@code host}, {@code host:port} or {@code [v6]:port}: what the clock check's SNTP client takes. */
    public static String ntpServer(String value) {
        String expected = "expected host, host:port or [address]:port, got " + Sanitizer.quote(value);
        if (host(value) != null) {
            return expected;
        }
        String port = null;
        if (value.startsWith("[")) {
            int close = value.indexOf(']');
            if (close < 2 || close + 1 < value.length() && value.charAt(close + 1) != ':') {
                return expected;
            }
            port = close + 1 < value.length() ? value.substring(close + 2) : null;
        } else if (value.indexOf(':') >= 0 && value.indexOf(':') == value.lastIndexOf(':')) {
            port = value.substring(value.indexOf(':') + 1);
            if (value.indexOf(':') == 0) {
                return expected;
            }
        } else if (value.contains("[") || value.contains("]")) {
            return expected;
        }
        if (port != null && !port.matches("[0-9]{1,5}")
                || port != null && (Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535)) {
            return expected;
        }
        return null;
    }

    /** {@code proxy.username}: it goes into a Basic credential ({@code user:password}), where ':' would split it. */
    public static String proxyUser(String value) {
        String text = text(value);
        if (text != null) {
            return text;
        }
        return value.indexOf(':') < 0 && value.chars().noneMatch(Character::isWhitespace)
                ? null
                : "expected a user name without ':' or spaces, got " + Sanitizer.quote(value);
    }

    /** One {@code proxy.noProxy} entry: it is joined with ',' into one {@code NO_PROXY=} line. */
    public static String noProxy(String value) {
        return value != null && NO_PROXY.matcher(value).matches()
                ? null
                : "expected a host, a domain (.corp.example), an address, a CIDR (10.0.0.0/8) or *, got "
                        + Sanitizer.quote(value);
    }

    /**
     * A template's target: a plain relative path inside the config folder (no '..', '.', empty or absolute parts, no
     * backslash, drive or stream), not one of the files the installer writes there itself.
     */
    public static String templateTarget(String target) {
        if (target == null || target.isBlank()) {
            return "must not be empty";
        }
        String text = text(target);
        if (text != null) {
            return text;
        }
        if (target.startsWith("/") || target.indexOf('\\') >= 0 || target.indexOf(':') >= 0) {
            return "expected a file name inside the config folder, got " + Sanitizer.quote(target);
        }
        for (String part : target.split("/", -1)) {
            if (part.isEmpty() || part.equals(".") || part.equals("..") || part.length() > 255) {
                return "expected a file name inside the config folder, got " + Sanitizer.quote(target);
            }
        }
        if (RESERVED_TARGETS.contains(target.toLowerCase(Locale.ROOT))) {
            return Sanitizer.quote(target) + " is written by the installer itself (the token, the proxy password, the "
                    + "platform CA, proxy.env): render into another file";
        }
        return null;
    }

    /** Collects the first problem only: one line per refusal. */
    private static final class Checks {
        private Problem first;

        void check(String field, String problem) {
            if (first == null && problem != null) {
                first = new Problem(field, problem, false);
            }
        }

        void path(String field, String problem) {
            if (first == null && problem != null) {
                first = new Problem(field, problem, true);
            }
        }
    }
}
