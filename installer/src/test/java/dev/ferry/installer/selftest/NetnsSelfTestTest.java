package dev.ferry.installer.selftest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.bundle.testing.JsonDocument;
import dev.ferry.installer.testpeers.NetnsSelfTestMain;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The self-tests inside a network namespace with only {@code lo} up: no route anywhere, so nothing can leave it.
 * Every platform check must fail fast and name the right cause, with the host's own resolver.
 */
@Tag("slow")
class NetnsSelfTestTest {
    private static final String NS = "ferry-selftest-" + ProcessHandle.current().pid();
    private static boolean created;

    @BeforeAll
    static void createNamespace() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root for ip netns");
        assumeTrue(
                Files.isExecutable(Path.of("/usr/sbin/ip")) || Files.isExecutable(Path.of("/sbin/ip")),
                "needs iproute2");
        assertThat(run(List.of("ip", "netns", "add", NS)).exit).isZero();
        created = true;
        assertThat(run(List.of("ip", "netns", "exec", NS, "ip", "link", "set", "lo", "up")).exit)
                .isZero();
    }

    @AfterAll
    static void deleteNamespace() throws Exception {
        if (created) {
            run(List.of("ip", "netns", "delete", NS));
        }
    }

    private record Outcome(int exit, String stdout) {}

    private static Outcome run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + command);
        }
        return new Outcome(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    private static Map<String, JsonNode> selfTestInNamespace(String... args) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(
                "ip",
                "netns",
                "exec",
                NS,
                java,
                "-cp",
                System.getProperty("java.class.path"),
                NetnsSelfTestMain.class.getName()));
        command.addAll(List.of(args));
        Outcome outcome = run(command);
        assertThat(outcome.exit).as(outcome.stdout).isZero();
        Map<String, JsonNode> byId = new HashMap<>();
        for (JsonNode check : JsonDocument.parse(outcome.stdout).get("checks")) {
            byId.put(check.get("id").asText(), check);
        }
        return byId;
    }

    @Test
    void aNameFailsFastAsDnsFailure() throws Exception {
        Map<String, JsonNode> checks = selfTestInNamespace("https://api.ferry-platform.invalid/");

        assertThat(checks.get("dns").get("cause").asText()).isEqualTo("dns-failure");
        for (String id : List.of("dns", "tcp", "tls", "health", "websocket")) {
            assertThat(checks.get(id).get("result").asText()).as(id).isEqualTo("fail");
            assertThat(checks.get(id).get("cause").asText()).as(id).isEqualTo("dns-failure");
            assertThat(checks.get(id).get("ms").asLong()).as(id).isLessThan(2_000);
        }
        assertThat(checks.get("proxy").get("result").asText()).isEqualTo("skip");
    }

    @Test
    void anAddressFailsFastAsNoRouteForThePlatformAndTargets() throws Exception {
        Map<String, JsonNode> checks = selfTestInNamespace("https://192.0.2.10/", "192.0.2.22:22");

        assertThat(checks.get("dns").get("result").asText()).isEqualTo("pass");
        for (String id : List.of("tcp", "tls", "health", "websocket", "target:fleet")) {
            assertThat(checks.get(id).get("cause").asText()).as(id).isEqualTo("no-route");
            assertThat(checks.get(id).get("ms").asLong()).as(id).isLessThan(2_000);
        }
        assertThat(checks.get("tcp").get("remedy").asText()).contains("add a route to 192.0.2.10");
    }
}
