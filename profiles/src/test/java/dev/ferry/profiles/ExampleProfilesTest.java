package dev.ferry.profiles;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.samskivert.mustache.Mustache;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
            profiles = files.filter(f -> f.toString().endsWith(".yaml")).filter(ExampleProfilesTest::hasName).sorted().toList();
        }

        assertThat(profiles).extracting(p -> p.getFileName().toString()).contains("datacenter.yaml", "dmz-east.yaml");
        for (Path profile : profiles) {
            assertThat(ProfileLoader.load(profile).name()).as(profile.toString()).isNotBlank();
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
            assertThat(p.agent().runtime()).isEqualTo(examples.resolve("runtime/certinext-bot").toString());
            assertThat(p.templates()).extracting(Profile.Template::target).containsExactly("agent.yaml");
            assertThat(p.token()).as("tokens come from bundler create --token").isNull();
        }
        assertThat(dmz.proxy().passwordFile()).isEqualTo(examples.resolve("secrets/proxy-password").toString());
        assertThat(dmz.platform().caFile()).isNull();
        assertThat(dc.proxy()).isNull();
        assertThat(dc.platform().caFile()).isEqualTo(examples.resolve("certs/platform-ca.pem").toString());
        assertThat(dc.targets()).extracting(Profile.Target::name).containsExactly("ldap", "f5-mgmt", "linux-fleet");
    }

    @Test
    void theTemplateRendersAReadableAgentConfigWithTheProxyOnlyWhereThereIsOne(@TempDir Path host) throws IOException {
        JsonNode dmz = YAML.readTree(render(ProfileLoader.load(EXAMPLES.resolve("dmz-east.yaml")), host));
        JsonNode dc = YAML.readTree(render(ProfileLoader.load(EXAMPLES.resolve("datacenter.yaml")), host));

        assertThat(dmz.at("/paths/logDir").asText()).isEqualTo(host.resolve("log").toString());
        assertThat(dmz.at("/platform/endpoint").asText()).isEqualTo("https://api.certinext.example.com");
        assertThat(dmz.at("/proxy/url").asText()).isEqualTo("http://proxy.corp.example:3128");
        assertThat(dmz.at("/proxy/passwordFile").asText()).isEqualTo(host.resolve("etc/proxy-password").toString());
        assertThat(dmz.at("/proxy/noProxy/1").asText()).isEqualTo("10.0.0.0/8");
        assertThat(dc.has("proxy")).isFalse();
        assertThat(dc.at("/platform/caFile").asText()).isEqualTo(host.resolve("etc/platform-ca.pem").toString());
    }

    @Test
    void theSampleAgentLogsAStartAndHeartbeatsAndStopsCleanlyOnTerm(@TempDir Path host) throws Exception {
        Profile profile = ProfileLoader.load(EXAMPLES.resolve("datacenter.yaml"));
        Path config = Files.writeString(host.resolve("agent.yaml"), render(profile, host));
        Path agent = Path.of(profile.agent().runtime(), "bin", "agent");
        assertThat(Files.isExecutable(agent)).as("executable bit kept in git").isTrue();

        ProcessBuilder builder = new ProcessBuilder(agent.toString(), "--config", config.toString())
                .redirectErrorStream(true).redirectOutput(host.resolve("stdout").toFile());
        builder.environment().put("AGENT_HEARTBEAT_SECONDS", "1");
        Process process = builder.start();
        Path log = host.resolve("log/agent.log");
        try {
            awaitLines(log, 2, Duration.ofSeconds(10));
            List<String> lines = Files.readAllLines(log);
            assertThat(lines.get(0)).contains("start name=certinext-bot version=1.4.2", "config=" + config);
            assertThat(lines.get(1)).endsWith(" heartbeat");
        } finally {
            process.destroy(); // SIGTERM
        }
        assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isZero();
        List<String> lines = Files.readAllLines(log);
        assertThat(lines.get(lines.size() - 1)).endsWith(" stop signal=TERM");
    }

    @Test
    void theSampleAgentRefusesToRunWithoutAConfig() throws Exception {
        Path agent = EXAMPLES.resolve("runtime/certinext-bot/bin/agent");
        Process process = new ProcessBuilder(agent.toString()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isEqualTo(2);
        assertThat(output).contains("usage: agent --config FILE");
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
        vars.put("agent", Map.of("name", profile.agent().name(), "version", profile.agent().version()));
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

    private static void awaitLines(Path log, int count, Duration timeout) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        while (!(Files.exists(log) && Files.readAllLines(log).size() >= count)) {
            assertThat(Instant.now()).as("waiting for %d lines in %s", count, log).isBefore(deadline);
            Thread.sleep(50);
        }
    }
}
