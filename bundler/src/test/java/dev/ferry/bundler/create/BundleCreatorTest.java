package dev.ferry.bundler.create;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.bundle.BundleReader;
import dev.ferry.bundle.FileEntry;
import dev.ferry.bundle.Manifest;
import dev.ferry.bundle.testing.TestKeys;
import dev.ferry.common.ExitCode;
import dev.ferry.common.FerryException;
import dev.ferry.common.Progress;
import dev.ferry.profiles.ProfileLoader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundleCreatorTest {
    private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final String SECRET = "opaque-secret-token-value";

    @TempDir
    Path dir;

    Path runtime;
    Path profile;
    Path out;

    @BeforeEach
    void layout() throws IOException {
        runtime = Files.createDirectories(dir.resolve("runtime/bin"));
        Files.writeString(runtime.resolve("agent"), "#!/bin/sh\necho hi\n");
        Files.setPosixFilePermissions(runtime.resolve("agent"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.createDirectories(dir.resolve("runtime/lib"));
        Files.writeString(dir.resolve("runtime/lib/core.txt"), "core library");
        Files.createDirectories(dir.resolve("templates"));
        Files.writeString(dir.resolve("templates/agent.yaml.mustache"), "endpoint: {{platform.endpoint}}\n");
        Files.writeString(dir.resolve("proxy-password"), "proxy-secret-pw\n");
        Files.writeString(dir.resolve("token"), SECRET);
        out = dir.resolve("out");
        profile = writeProfile("token:\n  notBefore: 2026-11-20T00:00:00Z\n  notAfter: 2027-06-01T00:00:00Z\n");
    }

    private Path writeProfile(String extra) throws IOException {
        Path file = dir.resolve("p.yaml");
        Files.writeString(file, """
                name: lab
                agent:
                  name: bot
                  version: 2.0.0
                  runtime: runtime
                  exec: ["{{installDir}}/runtime/bin/agent"]
                service:
                  name: bot
                platform:
                  endpoint: https://api.example.com
                  healthPath: /health
                proxy:
                  url: http://proxy.example:3128
                  username: svc
                  passwordFile: proxy-password
                templates:
                  - source: templates/agent.yaml.mustache
                    target: agent.yaml
                """ + extra);
        return file;
    }

    private BundleCreator.Result create(Map<String, String> env, Path tokenFile) {
        return new BundleCreator(CLOCK, env, 2)
                .create(new BundleCreator.Request(
                        profile,
                        ProfileLoader.load(profile),
                        List.of(TestKeys.generate()),
                        tokenFile,
                        out,
                        null,
                        3,
                        Progress.NONE));
    }

    private static String jwt(long nbf, long exp) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return b64.encodeToString("{}".getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(("{\"nbf\":" + nbf + ",\"exp\":" + exp + "}").getBytes(StandardCharsets.UTF_8))
                + ".sig";
    }

    @Test
    void manifestNamesBundlePathsNeverTheBuildMachinesAndCarriesNoSecret() {
        BundleCreator.Result result = create(Map.of(), dir.resolve("token"));
        byte[] manifestBytes = BundleReader.readManifest(result.bundle().path()).manifestBytes();
        String json = new String(manifestBytes, StandardCharsets.UTF_8);
        assertThat(json).doesNotContain(dir.toString()).doesNotContain(SECRET).doesNotContain("proxy-secret-pw");
        Manifest m = result.bundle().manifest();
        assertThat(m.profile().at("/agent/runtime").asText()).isEqualTo("payload/runtime");
        assertThat(m.profile().at("/templates/0/source").asText()).isEqualTo("payload/templates/agent.yaml.mustache");
        assertThat(m.profile().at("/proxy/passwordFile").asText()).isEqualTo("payload/secrets/proxy-password");
        assertThat(m.files())
                .extracting(FileEntry::path, FileEntry::mode)
                .containsExactly(
                        Tuple.tuple("payload/runtime/bin/agent", "0755"),
                        Tuple.tuple("payload/runtime/lib/core.txt", "0644"),
                        Tuple.tuple("payload/sbom/bom.cdx.json", "0644"),
                        Tuple.tuple("payload/sbom/provenance.dsse.json", "0644"),
                        Tuple.tuple("payload/secrets/binding-key", "0600"),
                        Tuple.tuple("payload/secrets/proxy-password", "0600"),
                        Tuple.tuple("payload/secrets/token", "0600"),
                        Tuple.tuple("payload/templates/agent.yaml.mustache", "0644"));
    }

    @Test
    void sourceDateEpochFixesCreatedAtExpiryAndSequence() {
        Manifest m = create(Map.of("SOURCE_DATE_EPOCH", "1795000000"), dir.resolve("token"))
                .bundle()
                .manifest();
        assertThat(m.createdAt()).isEqualTo(Instant.ofEpochSecond(1795000000));
        assertThat(m.expiresAt()).isEqualTo(Instant.ofEpochSecond(1795000000).plus(Duration.ofDays(90)));
        assertThat(m.sequence()).isEqualTo(1795000000L);
        assertThatThrownBy(() -> create(Map.of("SOURCE_DATE_EPOCH", "yesterday"), dir.resolve("token")))
                .hasMessageContaining("SOURCE_DATE_EPOCH");
    }

    @Test
    void opaqueTokenTakesTheProfilesWindowAndWarnsWhenItEndsFirst() throws IOException {
        profile = writeProfile("token:\n  notBefore: 2026-11-20T00:00:00Z\n  notAfter: 2026-12-01T00:00:00Z\n");
        BundleCreator.Result result = create(Map.of(), dir.resolve("token"));
        assertThat(result.bundle().manifest().token().notAfter()).isEqualTo(Instant.parse("2026-12-01T00:00:00Z"));
        assertThat(result.bundle().manifest().token().id()).startsWith("pbkdf2:");
        assertThat(result.warnings())
                .singleElement()
                .asString()
                .contains("2026-12-01T00:00:00Z")
                .doesNotContain(SECRET);
    }

    @Test
    void jwtWindowComesFromItsClaimsAndAnExpiredOneIsRefused() throws IOException {
        Path token = dir.resolve("jwt");
        Files.writeString(token, jwt(NOW.getEpochSecond() - 60, NOW.getEpochSecond() + 86400L * 200));
        assertThat(create(Map.of(), token).bundle().manifest().token().notAfter())
                .isEqualTo(NOW.plusSeconds(86400L * 200));
        Files.writeString(token, jwt(NOW.getEpochSecond() - 600, NOW.getEpochSecond() - 60));
        assertThatThrownBy(() -> create(Map.of(), token))
                .isInstanceOfSatisfying(
                        FerryException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.VALIDITY))
                .hasMessageContaining("expired");
    }

    @Test
    void opaqueTokenWithoutAWindowIsAUsageError() throws IOException {
        profile = writeProfile("");
        assertThatThrownBy(() -> create(Map.of(), dir.resolve("token")))
                .isInstanceOfSatisfying(
                        FerryException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE))
                .hasMessageContaining("notAfter")
                .hasMessageNotContaining(SECRET);
    }

    @Test
    void noTokenAtAllIsAUsageErrorNamingTheProfile() {
        assertThatThrownBy(() -> create(Map.of(), null))
                .hasMessageContaining("p.yaml")
                .hasMessageContaining("--token");
    }

    @Test
    void linkInsideTheRuntimeIsCarriedAsACopy() throws IOException {
        Files.createSymbolicLink(runtime.resolve("agent-link"), Path.of("agent"));
        Files.createSymbolicLink(dir.resolve("runtime/lib-alias"), Path.of("lib"));
        Manifest m = create(Map.of(), dir.resolve("token")).bundle().manifest();
        assertThat(m.files())
                .extracting(FileEntry::path)
                .contains("payload/runtime/bin/agent-link", "payload/runtime/lib-alias/core.txt");
        FileEntry copy = m.files().stream()
                .filter(f -> f.path().endsWith("agent-link"))
                .findFirst()
                .orElseThrow();
        assertThat(copy.mode()).isEqualTo("0755");
    }

    @Test
    void linkLeavingTheRuntimeIsRefused() throws IOException {
        Files.createSymbolicLink(runtime.resolve("passwd"), Path.of("/etc/passwd"));
        assertThatThrownBy(() -> create(Map.of(), dir.resolve("token")))
                .isInstanceOfSatisfying(
                        FerryException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE))
                .hasMessageContaining("bin/passwd")
                .hasMessageContaining("outside the runtime folder");
        assertThat(out).doesNotExist();
    }

    @Test
    void fifoAndSetuidFilesAreRefused() throws Exception {
        Path fifo = runtime.resolve("pipe");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor())
                .isZero();
        assertThatThrownBy(() -> create(Map.of(), dir.resolve("token"))).hasMessageContaining("bin/pipe");
        Files.delete(fifo);
        assertThat(new ProcessBuilder("chmod", "u+s", runtime.resolve("agent").toString())
                        .start()
                        .waitFor())
                .isZero();
        assertThatThrownBy(() -> create(Map.of(), dir.resolve("token"))).hasMessageContaining("setuid");
    }
}
