package dev.ferry.profiles;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.samskivert.mustache.Mustache;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The example profiles under profiles/examples (surefire runs in the module folder) load, render and run. */
class ExampleProfilesTest {
    private static final Path EXAMPLES = Path.of("examples");
    private static final YAMLMapper YAML = new YAMLMapper();

    @Test
    void everyExampleProfileWithANameLoads() throws IOException {
        List<Path> profiles;
        try (Stream<Path> files = Files.list(EXAMPLES)) {
            profiles = files.filter(f -> f.toString().endsWith(".yaml"))
                    .filter(ExampleProfilesTest::hasName)
                    .sorted()
                    .toList();
        }

        assertThat(profiles).extracting(p -> p.getFileName().toString()).contains("datacenter.yaml", "dmz-east.yaml");
        for (Path profile : profiles) {
            assertThat(ProfileLoader.load(profile).name())
                    .as(profile.toString())
                    .isNotBlank();
        }
    }

    @Test
    void theSegmentsInheritTheBaseAndAddTheirOwnNetwork() {
        Profile dmz = ProfileLoader.load(EXAMPLES.resolve("dmz-east.yaml"));
        Profile dc = ProfileLoader.load(EXAMPLES.resolve("datacenter.yaml"));
        Path examples = EXAMPLES.toAbsolutePath().normalize();

        for (Profile p : List.of(dmz, dc)) {
            assertThat(p.agent().name()).isEqualTo("certinext-bot");
            assertThat(p.agent().version()).isEqualTo("1.4.2");
            assertThat(p.agent().runtime())
                    .isEqualTo(examples.resolve("runtime/certinext-bot").toString());
            assertThat(p.templates()).extracting(Profile.Template::target).containsExactly("agent.yaml");
            assertThat(p.token()).as("tokens come from bundler create --token").isNull();
        }
        assertThat(dmz.proxy().passwordFile())
                .isEqualTo(examples.resolve("secrets/proxy-password").toString());
        assertThat(dmz.platform().caFile()).isNull();
        assertThat(dc.proxy()).isNull();
        assertThat(dc.platform().caFile())
                .isEqualTo(examples.resolve("certs/platform-ca.pem").toString());
        assertThat(dc.targets()).extracting(Profile.Target::name).containsExactly("ldap", "f5-mgmt", "linux-fleet");
    }

    @Test
    void theTemplateRendersAReadableAgentConfigWithTheProxyOnlyWhereThereIsOne(@TempDir Path host) throws IOException {
        JsonNode dmz = YAML.readTree(render(ProfileLoader.load(EXAMPLES.resolve("dmz-east.yaml")), host));
        JsonNode dc = YAML.readTree(render(ProfileLoader.load(EXAMPLES.resolve("datacenter.yaml")), host));

        assertThat(dmz.at("/paths/logDir").asText())
                .isEqualTo(host.resolve("log").toString());
        assertThat(dmz.at("/platform/endpoint").asText()).isEqualTo("https://api.certinext.example.com");
        assertThat(dmz.at("/proxy/url").asText()).isEqualTo("http://proxy.corp.example:3128");
        assertThat(dmz.at("/proxy/passwordFile").asText())
                .isEqualTo(host.resolve("etc/proxy-password").toString());
        assertThat(dmz.at("/proxy/noProxy/1").asText()).isEqualTo("10.0.0.0/8");
        assertThat(dc.has("proxy")).isFalse();
        assertThat(dc.at("/platform/caFile").asText())
                .isEqualTo(host.resolve("etc/platform-ca.pem").toString());
    }

    @Test
    void theSampleAgentQueuesItsCheckInsWhileThePlatformIsUnreachableAndStopsCleanlyOnTerm(@TempDir Path host)
            throws Exception {
        Path config = renderWithClosedEndpoint(host);
        Files.writeString(host.resolve("etc/token"), TOKEN);
        Process process = startAgent(config, Map.of());
        Path log = host.resolve("log/agent.log");
        try {
            awaitQueued(host.resolve("data/queue"), 2, Duration.ofSeconds(15));
            // The agent logs the queue after writing the file: wait for the line, not just the file.
            awaitLogLine(log, "2 check-in(s) queued", Duration.ofSeconds(10));
            List<String> lines = Files.readAllLines(log);
            assertThat(lines.get(0)).contains("start name=certinext-bot version=1.4.2", "config=" + config);
            assertThat(lines)
                    .anyMatch(l -> l.endsWith(" heartbeat"))
                    .anyMatch(l ->
                            l.contains("platform not reached: 2 check-in(s) queued in " + host.resolve("data/queue")));
        } finally {
            process.destroy(); // SIGTERM
        }
        assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isZero();
        List<String> lines = Files.readAllLines(log);
        assertThat(lines.get(lines.size() - 1)).endsWith(" stop signal=TERM");
        List<String> errors = Files.readAllLines(host.resolve("log/error.log"));
        assertThat(errors).as("one line per outage, not one per attempt").hasSize(1);
        assertThat(errors.get(0)).contains("platform https://127.0.0.1:", "unreachable", "curl: (7)");
        try (Stream<Path> queued = Files.list(host.resolve("data/queue"))) {
            JsonNode first =
                    YAML.readTree(queued.sorted().findFirst().orElseThrow().toFile());
            assertThat(first.get("event").asText())
                    .as("oldest first: the start check-in")
                    .isEqualTo("start");
            assertThat(first.get("name").asText()).isEqualTo("certinext-bot");
        }
        assertThat(Files.readString(log) + String.join("", errors)).doesNotContain(TOKEN);
    }

    @Test
    void withoutCurlTheSampleAgentSaysSoOnceAndKeepsQueueing(@TempDir Path host) throws Exception {
        Path config = renderWithClosedEndpoint(host);
        Files.writeString(host.resolve("etc/token"), TOKEN);
        Process process = startAgent(config, Map.of("PATH", pathWithout("curl", host.resolve("bin"))));
        try {
            awaitQueued(host.resolve("data/queue"), 3, Duration.ofSeconds(15));
        } finally {
            process.destroy();
        }
        assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(Files.readAllLines(host.resolve("log/error.log")))
                .singleElement()
                .asString()
                .endsWith("curl is not installed: check-ins stay queued in " + host.resolve("data/queue")
                        + " until it is");
    }

    @Test
    void withoutItsTokenTheSampleAgentSaysWhichFileAndKeepsQueueing(@TempDir Path host) throws Exception {
        Path config = renderWithClosedEndpoint(host);
        Process process = startAgent(config, Map.of());
        try {
            awaitQueued(host.resolve("data/queue"), 2, Duration.ofSeconds(15));
        } finally {
            process.destroy();
        }
        assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(Files.readAllLines(host.resolve("log/error.log")))
                .singleElement()
                .asString()
                .contains("cannot read the token from " + host.resolve("etc/token"));
    }

    @Test
    void theSampleAgentRefusesToRunWithoutAConfig() throws Exception {
        Path agent = EXAMPLES.resolve("runtime/certinext-bot/bin/agent");
        Process process =
                new ProcessBuilder(agent.toString()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isEqualTo(2);
        assertThat(output).contains("usage: agent --config FILE");
    }

    private static final List<Socket> HELD_CLOSED_PORTS = new CopyOnWriteArrayList<>();

    private static final String TOKEN = "eyJhbGciOiJIUzI1NiJ9.eyJqdGkiOiJ0ZXN0In0.c2VjcmV0LXNpZ25hdHVyZQ";

    /** The datacenter example rendered for {@code host}, its endpoint a loopback port where nothing listens. */
    private static Path renderWithClosedEndpoint(Path host) throws IOException {
        // Held bound (never listening) for the rest of the run: a released number could be taken by a concurrent test.
        Socket closed = new Socket();
        closed.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        HELD_CLOSED_PORTS.add(closed);
        int port = closed.getLocalPort();
        Files.createDirectories(host.resolve("etc"));
        String rendered = render(ProfileLoader.load(EXAMPLES.resolve("datacenter.yaml")), host)
                .replace("https://api.certinext.example.com", "https://127.0.0.1:" + port);
        return Files.writeString(host.resolve("etc/agent.yaml"), rendered);
    }

    private static Process startAgent(Path config, Map<String, String> env) throws IOException {
        Path agent = EXAMPLES.resolve("runtime/certinext-bot/bin/agent");
        assertThat(Files.isExecutable(agent)).as("executable bit kept in git").isTrue();
        ProcessBuilder builder = new ProcessBuilder(agent.toString(), "--config", config.toString())
                .redirectErrorStream(true)
                .redirectOutput(config.resolveSibling("agent.stdout").toFile());
        builder.environment().put("AGENT_HEARTBEAT_SECONDS", "1");
        builder.environment().putAll(env);
        return builder.start();
    }

    /** A PATH folder of links to every program in /usr/bin and /bin except {@code missing}. */
    private static String pathWithout(String missing, Path dir) throws IOException {
        Files.createDirectories(dir);
        for (String system : List.of("/usr/bin", "/bin")) {
            try (Stream<Path> programs = Files.list(Path.of(system))) {
                for (Path program : (Iterable<Path>) programs::iterator) {
                    Path link = dir.resolve(program.getFileName().toString());
                    if (!program.getFileName().toString().equals(missing)
                            && !Files.exists(link, LinkOption.NOFOLLOW_LINKS)) {
                        Files.createSymbolicLink(link, program);
                    }
                }
            }
        }
        return dir.toString();
    }

    private static void awaitLogLine(Path log, String text, Duration timeout) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        while (!Files.exists(log) || Files.readAllLines(log).stream().noneMatch(l -> l.contains(text))) {
            assertThat(Instant.now()).as("waiting for '%s' in %s", text, log).isBefore(deadline);
            Thread.sleep(50);
        }
    }

    private static void awaitQueued(Path queue, int count, Duration timeout) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            long queued = 0;
            if (Files.isDirectory(queue)) {
                try (Stream<Path> files = Files.list(queue)) {
                    queued = files.filter(f -> f.toString().endsWith(".json")).count();
                }
            }
            if (queued >= count) {
                return;
            }
            assertThat(Instant.now())
                    .as("waiting for %d check-ins queued in %s", count, queue)
                    .isBefore(deadline);
            Thread.sleep(50);
        }
    }

    /** Renders the example template with the variables of SPEC section 3, the way the installer will. */
    private static String render(Profile profile, Path host) throws IOException {
        Map<String, Object> vars = new HashMap<>();
        vars.put("installDir", host.resolve("opt").toString());
        vars.put("configDir", host.resolve("etc").toString());
        vars.put("dataDir", host.resolve("data").toString());
        vars.put("logDir", host.resolve("log").toString());
        vars.put("tokenFile", host.resolve("etc/token").toString());
        vars.put("profile", Map.of("name", profile.name()));
        vars.put(
                "agent",
                Map.of(
                        "name",
                        profile.agent().name(),
                        "version",
                        profile.agent().version()));
        Map<String, Object> platform = new HashMap<>();
        platform.put("endpoint", profile.platform().endpoint());
        platform.put("healthPath", profile.platform().healthPath());
        platform.put("websocket", profile.platform().websocket());
        if (profile.platform().caFile() != null) {
            platform.put("caFile", host.resolve("etc/platform-ca.pem").toString());
        }
        vars.put("platform", platform);
        if (profile.proxy() != null) {
            Map<String, Object> proxy = new HashMap<>();
            proxy.put("url", profile.proxy().url());
            proxy.put("username", profile.proxy().username());
            proxy.put("passwordFile", host.resolve("etc/proxy-password").toString());
            proxy.put("noProxy", profile.proxy().noProxy());
            vars.put("proxy", proxy);
        }
        String template = Files.readString(Path.of(profile.templates().get(0).source()));
        return Mustache.compiler().escapeHTML(false).compile(template).execute(vars);
    }

    private static boolean hasName(Path file) {
        try {
            return YAML.readTree(file.toFile()).hasNonNull("name");
        } catch (IOException e) {
            return true; // let the loader report it
        }
    }
}
