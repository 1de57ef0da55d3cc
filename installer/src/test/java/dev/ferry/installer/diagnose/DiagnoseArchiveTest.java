package dev.ferry.installer.diagnose;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.cli.Json;
import dev.ferry.installer.check.Cause;
import dev.ferry.installer.check.Check;
import dev.ferry.installer.check.CheckReport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The archive written, then opened with the real {@code tar -xzf}, and every extracted byte searched for secrets. */
class DiagnoseArchiveTest {
    private static final String TOKEN = "eyJhbGciOiJFZERTQSJ9.eyJqdGkiOiJ0b2stNDIifQ.c2lnbmF0dXJlLWJ5dGVz";
    private static final String OPAQUE_TOKEN = "tok_9f8e7d6c5b4a3928";
    private static final String PROXY_PASSWORD = "Pr0xy-Pa55-w0rd!";
    private static final String KEY_BODY = "MC4CAQAwBQYDK2VwBCIEIPlantedPrivateKeyMaterialXYZ123";
    private static final String PEM = "-----BEGIN PRIVATE KEY-----\n" + KEY_BODY + "\n-----END PRIVATE KEY-----\n";
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-23T10:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path tmp;

    private List<Path> extract(Path archive) throws Exception {
        Path out = Files.createDirectories(tmp.resolve("extracted"));
        Process tar = new ProcessBuilder("tar", "-xzf", archive.toString(), "-C", out.toString())
                .redirectErrorStream(true)
                .start();
        String output = new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(tar.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(tar.exitValue()).as(output).isZero();
        try (Stream<Path> walk = Files.walk(out)) {
            return walk.filter(Files::isRegularFile).toList();
        }
    }

    private static String read(Path dir, String name) throws IOException {
        return Files.readString(dir.resolve(name), StandardCharsets.ISO_8859_1);
    }

    @Test
    void plantedSecretsNeverEnterTheArchive() throws Exception {
        Path root = tmp.resolve("root");
        Path config = Files.createDirectories(root.resolve("etc/ferry/bot"));
        Path logs = Files.createDirectories(root.resolve("var/log/ferry/bot"));
        Path data = Files.createDirectories(root.resolve("var/lib/ferry/bot"));
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/resolv.conf"), "# generated\nnameserver 10.0.0.53\nsearch corp.example\n");
        Files.writeString(config.resolve("token"), TOKEN + "\n");
        Files.writeString(config.resolve("proxy-password"), PROXY_PASSWORD + "\n");
        Files.writeString(
                config.resolve("agent.yaml"),
                "platform:\n  endpoint: https://api.example\n"
                        + "  token: " + TOKEN + "\n"
                        + "proxy:\n  url: http://svc-bot:" + PROXY_PASSWORD + "@proxy.corp.example:3128\n"
                        + "  passwordFile: /etc/ferry/bot/proxy-password\n"
                        + "  password: \"" + PROXY_PASSWORD + "\"\n"
                        + "signing:\n  private_key: |\n" + PEM.indent(4)
                        + "agent:\n  name: bot\n");
        Files.writeString(
                config.resolve("agent.env"),
                "export AGENT_TOKEN=" + OPAQUE_TOKEN + "\nHTTPS_PROXY=http://svc-bot:" + PROXY_PASSWORD
                        + "@proxy.corp.example:3128\nLOG_LEVEL=debug\n");
        Files.writeString(
                config.resolve("embedded.json"),
                "{\"client\":{\"key\":\"" + PEM.replace("\n", "\\n") + "\"},\"user\":\"svc-bot\"}\n");
        List<String> logLines = new ArrayList<>();
        for (int i = 0; i < 1500; i++) {
            logLines.add("2026-11-23T09:00:00Z line " + i);
        }
        logLines.add("2026-11-23T09:59:00Z registering with Authorization: Bearer " + OPAQUE_TOKEN);
        logLines.add("2026-11-23T09:59:01Z token=" + TOKEN + " proxy password " + PROXY_PASSWORD);
        logLines.add("2026-11-23T09:59:02Z loaded key " + PEM.replace("\n", " "));
        Files.write(logs.resolve("agent.log"), logLines);
        Files.writeString(logs.resolve("install.log"), "2026-11-23T09:00:00Z install bot 1.4.2 sequence 42: ok\n");
        Files.writeString(logs.resolve("error.log"), PEM);

        CheckReport selftest = new CheckReport(List.of(
                Check.pass("dns", "api.example resolves", 3),
                Check.fail("tls", Cause.TLS_INTERCEPTED, "issuer 'CN=Acme Inspection CA'", "add the CA", 12)));
        JsonNode status = Json.MAPPER.readTree("{\"name\":\"bot\",\"version\":\"1.4.2\",\"sequence\":42,"
                + "\"service\":{\"state\":\"running\"},\"proxyUrl\":\"http://svc-bot:" + PROXY_PASSWORD
                + "@proxy.corp.example:3128\"}");
        DiagnoseInputs in = new DiagnoseInputs(
                "bot",
                "host-1",
                root,
                config,
                logs,
                data,
                List.of(root),
                status,
                new DiagnoseInputs.Unavailable("preflight needs a bundle"),
                selftest,
                List.of(config.resolve("token"), config.resolve("proxy-password")),
                List.of(TOKEN + "\n", OPAQUE_TOKEN, PROXY_PASSWORD + "\n"),
                Map.of(
                        "HTTPS_PROXY",
                        "http://svc-bot:" + PROXY_PASSWORD + "@proxy.corp.example:3128",
                        "no_proxy",
                        ".corp.example",
                        "PATH",
                        "/usr/bin"),
                CLOCK);

        Path archive = DiagnoseArchive.write(tmp.resolve("out/diag.tar.gz"), in);
        List<Path> files = extract(archive);
        Path x = tmp.resolve("extracted");

        for (Path f : files) {
            String bytes = Files.readString(f, StandardCharsets.ISO_8859_1);
            assertThat(bytes)
                    .as(f.toString())
                    .doesNotContain(TOKEN)
                    .doesNotContain(OPAQUE_TOKEN)
                    .doesNotContain(PROXY_PASSWORD)
                    .doesNotContain(KEY_BODY)
                    .doesNotContain("c2lnbmF0dXJlLWJ5dGVz");
        }
        assertThat(x.resolve("config/token")).doesNotExist();
        assertThat(x.resolve("config/proxy-password")).doesNotExist();
        assertThat(files)
                .extracting(f -> x.relativize(f).toString())
                .contains(
                        "summary.txt",
                        "host.json",
                        "network.txt",
                        "preflight.json",
                        "selftest.json",
                        "status.json",
                        "config/agent.yaml",
                        "config/agent.env",
                        "logs/agent.log",
                        "logs/install.log",
                        "logs/error.log");
        // Redacted, not dropped: the structure a support engineer needs is still there.
        assertThat(read(x, "config/agent.yaml"))
                .contains("endpoint: https://api.example")
                .contains("token: <redacted>")
                .contains("http://svc-bot:<redacted>@proxy.corp.example:3128")
                .contains("passwordFile: /etc/ferry/bot/proxy-password")
                .contains("name: bot");
        assertThat(read(x, "config/agent.env")).contains("LOG_LEVEL=debug").contains("AGENT_TOKEN=<redacted>");
        assertThat(read(x, "network.txt"))
                .contains("nameserver 10.0.0.53")
                .contains("HTTPS_PROXY=http://svc-bot:<redacted>@proxy.corp.example:3128")
                .contains("no_proxy=.corp.example")
                .doesNotContain("PATH=");
        List<String> agentLog = Files.readAllLines(x.resolve("logs/agent.log"), StandardCharsets.ISO_8859_1);
        assertThat(agentLog).hasSize(1000);
        assertThat(agentLog.get(0)).endsWith("line 503");
        assertThat(read(x, "selftest.json")).contains("tls-intercepted");
        assertThat(read(x, "preflight.json")).contains("preflight needs a bundle");
        assertThat(read(x, "summary.txt"))
                .contains("host:         host-1")
                .contains("version: 1.4.2")
                .contains("service.state: running")
                .contains("FAILED: 1 pass, 1 fail: tls (tls-intercepted)")
                .contains("config/token (never archived: holds a secret)");
        JsonNode host = Json.MAPPER.readTree(x.resolve("host.json").toFile());
        assertThat(host.path("kernel").asText()).isNotBlank();
        assertThat(host.path("os").path("arch").asText()).isNotBlank();
        assertThat(host.path("clock").path("now").asText()).isEqualTo("2026-11-23T10:00:00Z");
        assertThat(host.path("disk").get(0).path("freeMb").asLong()).isPositive();
    }

    @Test
    void aHalfRemovedInstallStillGivesAnArchiveThatSaysWhatIsMissing() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("root"));
        DiagnoseInputs in = new DiagnoseInputs(
                null,
                "host-2",
                root,
                root.resolve("etc/ferry/bot"),
                root.resolve("var/log/ferry/bot"),
                root.resolve("var/lib/ferry/bot"),
                List.of(),
                null,
                null,
                null,
                List.of(),
                List.of(),
                Map.of(),
                CLOCK);

        Path archive = DiagnoseArchive.write(tmp.resolve("diag.tar.gz"), in);
        List<Path> files = extract(archive);
        Path x = tmp.resolve("extracted");

        assertThat(files)
                .extracting(f -> x.relativize(f).toString())
                .contains(
                        "summary.txt",
                        "missing.txt",
                        "host.json",
                        "network.txt",
                        "status.json",
                        "preflight.json",
                        "selftest.json");
        String missing = read(x, "missing.txt");
        assertThat(missing)
                .contains("config folder " + root.resolve("etc/ferry/bot"))
                .contains("log folder " + root.resolve("var/log/ferry/bot"))
                .contains("status.json: not given")
                .contains("resolv.conf");
        assertThat(read(x, "summary.txt")).contains("== missing ==").contains("config folder");
        assertThat(Json.MAPPER
                        .readTree(x.resolve("status.json").toFile())
                        .path("unavailable")
                        .asText())
                .isNotBlank();
    }

    @Test
    void theTailOfALogIsFoundWithoutReadingItWhole() throws IOException {
        Path log = tmp.resolve("big.log");
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 5000; i++) {
            b.append("entry ").append(i).append('\n');
        }
        Files.writeString(log, b);

        long start = LogTail.startOfLastLines(log, 1000);
        assertThat(Files.readString(log).substring((int) start))
                .startsWith("entry 4000\n")
                .endsWith("entry 4999\n");
        Files.writeString(tmp.resolve("short.log"), "a\nb");
        assertThat(LogTail.startOfLastLines(tmp.resolve("short.log"), 1000)).isZero();
    }
}
