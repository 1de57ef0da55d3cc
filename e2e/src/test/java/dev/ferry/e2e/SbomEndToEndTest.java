package dev.ferry.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.PackageVersion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SPEC section 12 through the built programs: the SBOM of a runtime holding a real jar of the local Maven
 * repository, printed by {@code inspect --sbom}, installed with the release and named by {@code status --json};
 * {@code diff} of a split bundle against the next release.
 */
@Tag("slow")
class SbomEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path work;

    @Test
    void theSbomTravelsWithTheReleaseAndDiffReadsSplitBundles() throws Exception {
        try (InstallerFixture host = new InstallerFixture(work, "none")) {
            Path keys = work.resolve("bundler-keys");
            assertOk(Programs.bundler(
                    "keys", "generate", "--name", "release", "--out", keys.toString(), "--no-passphrase"));
            Path runtime = Files.createDirectories(work.resolve("runtime/bin"));
            Files.writeString(runtime.resolve("agent"), "#!/bin/sh\nexec sleep 600\n");
            runtime.resolve("agent").toFile().setExecutable(true);
            Path databind = localRepositoryDatabind();
            Files.createDirectories(work.resolve("runtime/lib"));
            Files.copy(databind, work.resolve("runtime/lib").resolve(databind.getFileName()));
            Path token = work.resolve("token");
            Instant now = Instant.now();
            Files.writeString(
                    token,
                    InstallerFixture.jwt("tok-sbom", now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(30))));

            Path first = create(keys, token, "1.0.0", now.minus(Duration.ofHours(3)), work.resolve("out1"));
            Programs.Run sbom = Programs.bundler("inspect", first.toString(), "--sbom");
            assertOk(sbom);
            JsonNode bom = JSON.readTree(sbom.stdout());
            assertThat(bom.get("bomFormat").asText()).isEqualTo("CycloneDX");
            assertThat(bom.get("components"))
                    .anySatisfy(c -> assertThat(c.path("purl").asText())
                            .isEqualTo("pkg:maven/com.fasterxml.jackson.core/jackson-databind@"
                                    + databind.getParent().getFileName()));

            assertOk(host.install(
                    first, "--trust", keys.resolve("release.pub.pem").toString(), "--skip-selftest"));
            JsonNode status = JSON.readTree(host.installer("status", "--json").stdout());
            Path installed = Path.of(status.at("/bundle/sbom").asText());
            assertThat(installed).startsWith(host.root).exists();
            assertThat(JSON.readTree(installed.toFile())).isEqualTo(bom);
            assertThat(Path.of(status.at("/bundle/provenance").asText())).exists();
            assertThat(status.path("drift")).isEmpty();

            Files.writeString(runtime.resolve("agent"), "#!/bin/sh\n# 1.1.0\nexec sleep 600\n");
            Path second = create(keys, token, "1.1.0", now.minus(Duration.ofHours(2)), work.resolve("out2"));
            Path usb = work.resolve("usb");
            assertOk(Programs.bundler("split", first.toString(), "--size", "4K", "--out", usb.toString()));
            Programs.Run diff = Programs.bundler(
                    "diff", usb.resolve(first.getFileName() + ".parts").toString(), second.toString(), "--json");
            assertOk(diff);
            JsonNode change = JSON.readTree(diff.stdout());
            assertThat(change.at("/old/version").asText()).isEqualTo("1.0.0");
            assertThat(change.at("/new/version").asText()).isEqualTo("1.1.0");
            assertThat(change.at("/files/changed"))
                    .anySatisfy(f -> assertThat(f.get("path").asText()).isEqualTo("payload/runtime/bin/agent"));
            assertThat(change.get("components")).singleElement().satisfies(c -> {
                assertThat(c.get("id").asText()).isEqualTo("sample-bot");
                assertThat(c.get("newVersion").asText()).isEqualTo("1.1.0");
            });
        }
    }

    private Path create(Path keys, Path token, String version, Instant createdAt, Path out) throws IOException {
        Path profile = work.resolve("profile-" + version + ".yaml");
        Files.writeString(profile, """
                name: lab
                agent:
                  name: sample-bot
                  version: %s
                  runtime: runtime
                  exec: ["{{installDir}}/runtime/bin/agent"]
                service:
                  name: sample-bot
                platform:
                  endpoint: https://127.0.0.1:9/
                prerequisites:
                  os: [linux]
                  requireAdmin: false
                  minFreeDiskMb: 1
                """.formatted(version));
        Programs.Run run = Programs.run(
                Map.of("SOURCE_DATE_EPOCH", String.valueOf(createdAt.getEpochSecond())),
                Programs.REPO.resolve("bin/bundler").toString(),
                "create",
                "--profile",
                profile.toString(),
                "--key",
                keys.resolve("release.key.pem").toString(),
                "--token",
                token.toString(),
                "--out",
                out.toString());
        assertOk(run);
        return out.resolve("sample-bot-" + version + ".bundle.tar.zst");
    }

    /** The jackson-databind jar of the local Maven repository, in the version the tests run with. */
    private static Path localRepositoryDatabind() {
        String version = PackageVersion.VERSION.toString();
        Path jar = Path.of(
                System.getProperty("user.home"),
                ".m2/repository/com/fasterxml/jackson/core/jackson-databind",
                version,
                "jackson-databind-" + version + ".jar");
        assertThat(jar).exists();
        return jar;
    }

    private static void assertOk(Programs.Run run) {
        assertThat(run.exitCode()).as(run.toString()).isZero();
    }
}
