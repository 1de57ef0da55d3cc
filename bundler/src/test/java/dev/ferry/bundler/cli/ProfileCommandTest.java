package dev.ferry.bundler.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.bundle.testing.JsonDocument;
import dev.ferry.cli.FerryCli;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProfileCommandTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return FerryCli.build(new BundlerMain(), new PrintWriter(out), new PrintWriter(err))
                .execute(args);
    }

    private void writeProfiles() throws IOException {
        Files.createDirectories(dir.resolve("shared/runtime"));
        Files.createDirectories(dir.resolve("site/secrets"));
        Files.writeString(dir.resolve("site/secrets/pw"), "Hunter2-secret");
        Files.writeString(dir.resolve("shared/base.yaml"), """
                agent:
                  name: bot
                  version: 1.0.0
                  runtime: runtime
                  exec: ["{{installDir}}/runtime/bin/agent"]
                service:
                  name: bot
                platform:
                  endpoint: https://api.example.com
                  healthPath: /health
                prerequisites:
                  os: [linux, windows]
                """);
        Files.writeString(dir.resolve("site/east.yaml"), """
                extends: ../shared/base.yaml
                name: east
                proxy:
                  url: http://proxy.example:3128
                  username: svc
                  passwordFile: secrets/pw
                prerequisites:
                  os: [linux]
                """);
    }

    @Test
    void showPrintsTheMergedProfileAsYaml() throws IOException {
        writeProfiles();

        int code = run("profile", "show", dir.resolve("site/east.yaml").toString());

        assertThat(code).isZero();
        assertThat(err.toString()).isEmpty();
        assertThat(out.toString())
                .startsWith("name: east\n")
                .contains("  endpoint: https://api.example.com\n", "  healthPath: /health\n")
                .contains("  runtime: " + dir.resolve("shared/runtime") + "\n")
                .contains("  passwordFile: " + dir.resolve("site/secrets/pw") + "\n")
                .contains("  os:\n    - linux\n")
                .doesNotContain("windows", "extends", "Hunter2");
    }

    @Test
    void showJsonPrintsTheFormTheManifestEmbeds() throws IOException {
        writeProfiles();

        int code =
                run("profile", "show", "--json", dir.resolve("site/east.yaml").toString());

        assertThat(code).isZero();
        JsonNode json = JsonDocument.parse(out.toString());
        assertThat(json.at("/agent/name").asText()).isEqualTo("bot");
        assertThat(json.at("/proxy/username").asText()).isEqualTo("svc");
    }

    @Test
    void aBadProfileExitsTwoWithOneLineNamingFileLineAndField() throws IOException {
        writeProfiles();
        Files.writeString(
                dir.resolve("site/bad.yaml"), "extends: ../shared/base.yaml\nname: bad\nproxy:\n  url: htp://x\n");

        int code = run("profile", "show", dir.resolve("site/bad.yaml").toString());

        assertThat(code).isEqualTo(2);
        assertThat(out.toString()).isEmpty();
        assertThat(err.toString())
                .isEqualTo("bundler: " + dir.resolve("site/bad.yaml")
                        + ":4: proxy.url: expected an http:// URL, got 'htp://x'" + System.lineSeparator());
    }

    @Test
    void aMissingProfileExitsTwoNamingIt() {
        int code = run("profile", "show", dir.resolve("none.yaml").toString());

        assertThat(code).isEqualTo(2);
        assertThat(err.toString().strip()).isEqualTo("bundler: profile " + dir.resolve("none.yaml") + ": not found");
    }

    @Test
    void profileWithoutASubcommandIsAUsageError() {
        assertThat(run("profile")).isEqualTo(2);
        assertThat(err.toString()).contains("Missing required subcommand");
    }
}
