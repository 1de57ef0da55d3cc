package dev.ferry.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.bundle.testing.JsonDocument;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The connected side as a user runs it: keys, a bundle from the shipped example profiles, inspected and verified by
 * Ferry and by the stock tools (openssl, zstd, tar, sha256sum), rebuilt byte for byte.
 */
@Tag("slow")
class BundlerEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PASSPHRASE = "correct horse battery staple";
    private static final Pattern KEY_ID = Pattern.compile("\\b[0-9a-f]{16}\\b");

    @TempDir
    static Path work;

    static Path keys;
    static Path token;
    static String tokenText;
    static String sourceDateEpoch;
    static Map<String, String> env;
    static String encryptedId;
    static String plainId;
    static Path bundle;

    @BeforeAll
    static void buildOneBundle() throws Exception {
        keys = Files.createDirectories(work.resolve("keys"));
        Files.writeString(work.resolve("pass"), PASSPHRASE + "\n");
        env = Map.of("FERRY_KEY_PASSPHRASE", PASSPHRASE);
        Programs.Run enc = Programs.run(
                env, REPO("bin/bundler"), "keys", "generate", "--name", "release", "--out", keys.toString());
        assertThat(enc.exitCode()).as(enc.toString()).isZero();
        encryptedId = keyId(enc.stdout());
        Programs.Run plain =
                Programs.bundler("keys", "generate", "--name", "ci", "--out", keys.toString(), "--no-passphrase");
        assertThat(plain.exitCode()).as(plain.toString()).isZero();
        plainId = keyId(plain.stdout());

        Instant now = Instant.now();
        tokenText = jwt(now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(120)), "tok-e2e-1");
        token = work.resolve("dmz-east.token");
        Files.writeString(token, tokenText);
        sourceDateEpoch = String.valueOf(now.minus(Duration.ofHours(2)).getEpochSecond());
        bundle = create(work.resolve("out1"));
    }

    static String REPO(String rel) {
        return Programs.REPO.resolve(rel).toString();
    }

    static Path create(Path out) throws Exception {
        Programs.Run run = Programs.run(
                Map.of("FERRY_KEY_PASSPHRASE", PASSPHRASE, "SOURCE_DATE_EPOCH", sourceDateEpoch),
                REPO("bin/bundler"),
                "create",
                "--profile",
                REPO("profiles/examples/dmz-east.yaml"),
                "--key",
                keys.resolve("release.key.pem").toString(),
                "--key",
                keys.resolve("ci.key.pem").toString(),
                "--token",
                token.toString(),
                "--out",
                out.toString());
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.stdout() + run.stderr())
                .doesNotContain(tokenText.strip())
                .doesNotContain(PASSPHRASE);
        assertThat(run.stdout()).contains(encryptedId).contains(plainId).containsPattern("sha256: +[0-9a-f]{64}");
        try (var files = Files.list(out)) {
            return files.filter(f -> f.toString().endsWith(".bundle.tar.zst"))
                    .findFirst()
                    .orElseThrow();
        }
    }

    static String keyId(String stdout) {
        Matcher m = KEY_ID.matcher(stdout);
        assertThat(m.find()).as("a key id in: " + stdout).isTrue();
        return m.group();
    }

    static String jwt(Instant nbf, Instant exp, String jti) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String claims =
                "{\"jti\":\"" + jti + "\",\"nbf\":" + nbf.getEpochSecond() + ",\"exp\":" + exp.getEpochSecond() + "}";
        return b64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(claims.getBytes(StandardCharsets.UTF_8)) + ".c2lnbmF0dXJlLW9mLXRoZS1wbGF0Zm9ybQ";
    }

    @Test
    void bundleIsNamedAfterTheAgentAndVersion() {
        assertThat(bundle.getFileName().toString()).isEqualTo("certinext-bot-1.4.2.bundle.tar.zst");
    }

    @Test
    void sameInputsAndSourceDateEpochGiveTheSameBytes() throws Exception {
        Path again = create(work.resolve("out2"));
        assertThat(Files.mismatch(bundle, again)).isEqualTo(-1L);
    }

    @Test
    void stockToolsExtractAndCheckEveryByte() throws Exception {
        Path x = Files.createDirectories(work.resolve("extracted"));
        Programs.Run tar = Programs.run(Map.of(), "sh", "-c", "zstd -dc '" + bundle + "' | tar -x -C '" + x + "'");
        assertThat(tar.exitCode()).as(tar.toString()).isZero();
        JsonNode manifest = JSON.readTree(x.resolve("manifest.json").toFile());
        assertThat(manifest.get("format").asText()).isEqualTo("ferry-bundle/1");
        assertThat(manifest.get("createdAt").asText())
                .isEqualTo(
                        Instant.ofEpochSecond(Long.parseLong(sourceDateEpoch)).toString());
        assertThat(manifest.toString()).doesNotContain(tokenText.strip());

        // Every file but the secrets, listed on purpose without a fast digest: they are checked with openssl below.
        StringBuilder sums = new StringBuilder();
        List<JsonNode> secrets = new ArrayList<>();
        manifest.get("files").forEach(f -> {
            if (f.get("path").asText().startsWith("payload/secrets/")) {
                assertThat(f.has("sha256") || f.has("size")).as(f.toString()).isFalse();
                secrets.add(f);
            } else {
                sums.append(f.get("sha256").asText())
                        .append("  ")
                        .append(f.get("path").asText())
                        .append('\n');
            }
        });
        Files.writeString(x.resolve("SHA256SUMS"), sums);
        Programs.Run check = Programs.run(Map.of(), x, "sha256sum", "-c", "--strict", "SHA256SUMS");
        assertThat(check.exitCode()).as(check.toString()).isZero();
        assertThat(check.stdout()).contains("payload/runtime/bin/agent: OK").doesNotContain("payload/secrets/");
        assertThat(secrets)
                .extracting(f -> f.get("path").asText())
                .containsExactly(
                        "payload/secrets/binding-key", "payload/secrets/proxy-password", "payload/secrets/token");
        assertThat(secrets.get(0).get("secret").size())
                .as("the binding key publishes nothing")
                .isEqualTo(1);
        // The README's recipe: each secret's HMAC under the binding key, with stock tools.
        for (JsonNode f : secrets.subList(1, secrets.size())) {
            String path = f.get("path").asText();
            Programs.Run mac = Programs.run(
                    Map.of(),
                    x,
                    "sh",
                    "-c",
                    "printf '%s\\0%s' '" + path + "' $(sha256sum '" + path + "' | cut -c1-64)"
                            + " | openssl mac -digest SHA256"
                            + " -macopt hexkey:$(sha256sum payload/secrets/binding-key | cut -c1-64) HMAC");
            assertThat(mac.stdout().strip().toLowerCase(Locale.ROOT))
                    .as(mac.toString())
                    .isEqualTo(f.get("secret").get("hash").asText());
        }

        for (String name : new String[] {"release", "ci"}) {
            Path pub = keys.resolve(name + ".pub.pem");
            String id = Programs.run(
                            Map.of(),
                            "sh",
                            "-c",
                            "openssl pkey -pubin -in '" + pub + "' -outform DER | tail -c 32 | sha256sum | cut -c1-16")
                    .stdout()
                    .strip();
            Programs.Run ossl = Programs.run(
                    Map.of(),
                    x,
                    "openssl",
                    "pkeyutl",
                    "-verify",
                    "-pubin",
                    "-inkey",
                    pub.toString(),
                    "-rawin",
                    "-in",
                    "manifest.json",
                    "-sigfile",
                    "signatures/" + id + ".sig");
            assertThat(ossl.exitCode()).as(ossl.toString()).isZero();
            assertThat(ossl.stdout()).contains("Signature Verified Successfully");
        }
    }

    @Test
    void tarListingShowsFixedOwnersTimesAndSecretModes() {
        Programs.Run list =
                Programs.run(Map.of("TZ", "UTC"), "sh", "-c", "zstd -dc '" + bundle + "' | tar -tv --numeric-owner");
        assertThat(list.exitCode()).as(list.toString()).isZero();
        String[] lines = list.stdout().strip().split("\n");
        assertThat(lines[0]).endsWith(" manifest.json");
        assertThat(lines[1]).contains(" signatures/");
        for (String line : lines) {
            assertThat(line).contains(" 0/0 ").doesNotStartWith("l").doesNotStartWith("h");
        }
        assertThat(list.stdout()).containsPattern("-rw------- 0/0 +\\d+ \\S+ \\S+ payload/secrets/token");
        assertThat(list.stdout()).containsPattern("-rwxr-xr-x 0/0 +\\d+ \\S+ \\S+ payload/runtime/bin/agent");
    }

    @Test
    void inspectSummarisesWithoutTheToken() throws Exception {
        Programs.Run run = Programs.bundler("inspect", bundle.toString(), "--json");
        assertThat(run.exitCode()).as(run.toString()).isZero();
        JsonNode doc = JsonDocument.parse(run.stdout());
        assertThat(doc.toString())
                .contains("certinext-bot")
                .contains("1.4.2")
                .contains(encryptedId)
                .contains(plainId)
                .contains("tok-e2e-1")
                .doesNotContain(tokenText.strip());
    }

    @Test
    void verifyTrustsOnlyTheGivenKeysAndCatchesAFlippedByte() throws Exception {
        Programs.Run ok = Programs.bundler(
                "verify",
                bundle.toString(),
                "--trust",
                keys.resolve("ci.pub.pem").toString());
        assertThat(ok.exitCode()).as(ok.toString()).isZero();

        Path stranger = Files.createDirectories(work.resolve("stranger"));
        Programs.bundler("keys", "generate", "--name", "x", "--out", stranger.toString(), "--no-passphrase");
        Programs.Run untrusted = Programs.bundler(
                "verify",
                bundle.toString(),
                "--trust",
                stranger.resolve("x.pub.pem").toString());
        assertThat(untrusted.exitCode()).as(untrusted.toString()).isEqualTo(3);
        assertThat(untrusted.stderr().strip().lines()).hasSize(1);

        byte[] bytes = Files.readAllBytes(bundle);
        bytes[bytes.length - 100] ^= 0x01;
        Path tampered = work.resolve("tampered.bundle.tar.zst");
        Files.write(tampered, bytes);
        Programs.Run bad = Programs.bundler(
                "verify",
                tampered.toString(),
                "--trust",
                keys.resolve("ci.pub.pem").toString());
        assertThat(bad.exitCode()).as(bad.toString()).isEqualTo(3);
        assertThat(bad.stderr()).doesNotContain("\tat ");
    }

    @Test
    void expiredTokenIsRefusedAtBuildTime() throws Exception {
        Path old = work.resolve("old.token");
        Instant now = Instant.now();
        Files.writeString(old, jwt(now.minus(Duration.ofDays(10)), now.minus(Duration.ofDays(1)), "old"));
        Programs.Run run = Programs.run(
                env,
                REPO("bin/bundler"),
                "create",
                "--profile",
                REPO("profiles/examples/dmz-east.yaml"),
                "--key",
                keys.resolve("ci.key.pem").toString(),
                "--token",
                old.toString(),
                "--out",
                work.resolve("out3").toString());
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(6);
        assertThat(run.stderr()).contains("expired");
    }

    @Test
    void wrongPassphraseIsOneLineExitTwo() {
        Programs.Run run = Programs.run(
                Map.of("FERRY_KEY_PASSPHRASE", "hunter2-not-it"),
                REPO("bin/bundler"),
                "create",
                "--profile",
                REPO("profiles/examples/dmz-east.yaml"),
                "--key",
                keys.resolve("release.key.pem").toString(),
                "--token",
                token.toString(),
                "--out",
                work.resolve("out4").toString());
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
        assertThat(run.stderr().strip().lines()).hasSize(1);
        assertThat(run.stderr()).contains("release.key.pem").doesNotContain("hunter2-not-it");
    }
}
