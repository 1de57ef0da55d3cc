package dev.ferry.bundler.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.bundle.WrittenBundle;
import dev.ferry.bundle.testing.JsonDocument;
import dev.ferry.bundle.testing.RawBundleWriter;
import dev.ferry.bundle.testing.TestBundles;
import dev.ferry.bundle.testing.TestKeys;
import dev.ferry.bundle.testing.TestKeys.TestKey;
import dev.ferry.cli.FerryCli;
import dev.ferry.cli.Json;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InspectAndVerifyCommandTest {
    // The commands use the real clock: bundles here are valid around now, whatever day the tests run.
    static final Instant CREATED = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofHours(1));

    @TempDir
    Path dir;

    private TestKey key;
    private TestKey other;
    private WrittenBundle bundle;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeEach
    void writeBundle() {
        key = TestKeys.create(dir.resolve("keys"), "release");
        other = TestKeys.create(dir.resolve("keys"), "other");
        bundle = base().signedBy(key).writeTo(dir.resolve("out"));
    }

    private TestBundles base() {
        return TestBundles.bundle("certinext-bot", "1.4.2")
                .sequence(42)
                .createdAt(CREATED)
                .expiresAt(CREATED.plus(Duration.ofDays(90)))
                .token("jti-77", CREATED, CREATED.plus(Duration.ofDays(7)), "SECRET-TOKEN-VALUE")
                .file("payload/runtime/bin/agent", "#!/bin/sh\necho agent\n", "0755")
                .file("payload/runtime/lib/big.bin", new byte[3 * 1024 * 1024], "0644");
    }

    private int run(String... args) {
        return FerryCli.build(new BundlerMain(), new PrintWriter(out, true), new PrintWriter(err, true))
                .execute(args);
    }

    @Test
    void inspectPrintsTheSummaryWithoutTheToken() {
        assertThat(run("inspect", bundle.path().toString())).isZero();
        String text = out.toString();
        assertThat(text)
                .contains(
                        "name       certinext-bot",
                        "version    1.4.2",
                        "sequence   42",
                        "created    " + CREATED,
                        "expires    " + CREATED.plus(Duration.ofDays(90)) + " (in 89 days)",
                        "token      jti-77, valid " + CREATED + " .. " + CREATED.plus(Duration.ofDays(7)),
                        "files      4 files, 3.0 MiB (3145749 bytes)",
                        "0755       21 B  ",
                        "payload/runtime/bin/agent",
                        "0644    3.0 MiB",
                        "signers    " + key.keyId() + " (unchecked)");
        // The token's row: neither its size (18 bytes) nor a digest, only how the manifest binds it.
        assertThat(text.lines()
                        .filter(l -> l.endsWith("payload/secrets/token"))
                        .findFirst()
                        .orElseThrow())
                .matches("  0600 +secret  bound by hmac-sha256 under the bundle's binding key +payload/secrets/token")
                .doesNotContain("18 B");
        assertThat(text).doesNotContain("SECRET-TOKEN-VALUE").doesNotContain(sha256("SECRET-TOKEN-VALUE"));
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void inspectJsonIsOneDocumentWithEveryFile() throws Exception {
        assertThat(run(
                        "inspect",
                        bundle.path().toString(),
                        "--json",
                        "--trust",
                        key.publicPem().toString()))
                .isZero();
        JsonNode doc = JsonDocument.parse(out.toString());
        assertThat(doc.get("name").asText()).isEqualTo("certinext-bot");
        assertThat(doc.get("sequence").asLong()).isEqualTo(42);
        assertThat(doc.get("createdAt").asText()).isEqualTo(CREATED.toString());
        assertThat(doc.get("expired").asBoolean()).isFalse();
        assertThat(doc.get("token").get("id").asText()).isEqualTo("jti-77");
        assertThat(doc.get("fileCount").asInt()).isEqualTo(4);
        assertThat(doc.get("totalSize").asLong()).isEqualTo(3 * 1024 * 1024 + 21); // a secret's size is not published
        assertThat(doc.get("files")).hasSize(4);
        assertThat(doc.get("files").get(0).get("sha256").asText())
                .isEqualTo(bundle.manifest().files().get(0).sha256());
        assertThat(doc.get("signers").get(0).get("keyId").asText()).isEqualTo(key.keyId());
        assertThat(doc.get("signers").get(0).get("status").asText()).isEqualTo("trusted");
        JsonNode key = doc.get("files").get(2);
        assertThat(key.get("path").asText()).isEqualTo("payload/secrets/binding-key");
        assertThat(key.has("sha256") || key.has("size")).isFalse();
        assertThat(key.get("secret").get("kdf").asText()).isEqualTo("binding-key");
        JsonNode token = doc.get("files").get(3);
        assertThat(token.get("path").asText()).isEqualTo("payload/secrets/token");
        assertThat(token.has("sha256") || token.has("size")).isFalse();
        assertThat(token.get("secret").get("kdf").asText()).isEqualTo("hmac-sha256");
        assertThat(token.get("secret").has("iterations")).isFalse();
        assertThat(out.toString()).doesNotContain("SECRET-TOKEN-VALUE").doesNotContain(sha256("SECRET-TOKEN-VALUE"));
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void inspectWithAnotherTrustedKeyMarksTheSignerUntrusted() throws Exception {
        assertThat(run(
                        "inspect",
                        bundle.path().toString(),
                        "--json",
                        "--trust",
                        other.publicPem().toString()))
                .isZero();
        assertThat(JsonDocument.parse(out.toString())
                        .get("signers")
                        .get(0)
                        .get("status")
                        .asText())
                .isEqualTo("untrusted");
    }

    @Test
    void inspectOfAFileThatIsNotABundleIsExitThree() throws Exception {
        Path junk = Files.writeString(dir.resolve("junk.bundle.tar.zst"), "junk");
        assertThat(run("inspect", junk.toString(), "--json")).isEqualTo(3);
        // stdout holds the one error document and nothing else; the human line goes to stderr.
        assertThat(Json.MAPPER
                        .readTree(out.toString())
                        .path("error")
                        .path("reason")
                        .asText())
                .isEqualTo("malformed-archive");
        assertThat(err.toString().strip())
                .startsWith("bundler: " + junk + ": not a valid bundle")
                .doesNotContain("\n");
    }

    @Test
    void verifyPrintsOneLineOfWhatWasVerified() {
        assertThat(run(
                        "verify",
                        bundle.path().toString(),
                        "--trust",
                        key.publicPem().toString()))
                .isZero();
        assertThat(out.toString().strip())
                .isEqualTo("verified: certinext-bot 1.4.2 (sequence 42), signed by " + key.keyId()
                        + ", 4 files, 3145749 bytes");
    }

    @Test
    void verifyWithTheWrongKeyIsExitThree() {
        assertThat(run(
                        "verify",
                        bundle.path().toString(),
                        "--trust",
                        other.publicPem().toString()))
                .isEqualTo(3);
        assertThat(err.toString()).contains("signed only by untrusted keys " + key.keyId());
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void verifyOfATamperedBundleIsExitThree() {
        byte[] tar = RawBundleWriter.decompress(bundle.path());
        tar[tar.length / 2] ^= 1; // inside big.bin
        Path tampered = RawBundleWriter.writeTar(tar, dir.resolve("tampered.bundle.tar.zst"));
        assertThat(run("verify", tampered.toString(), "--trust", key.publicPem().toString()))
                .isEqualTo(3);
        assertThat(err.toString()).contains("SHA-256 does not match the manifest");
    }

    @Test
    void verifyOfAnExpiredBundleIsExitSix() {
        Instant longAgo = CREATED.minus(Duration.ofDays(200));
        WrittenBundle expired = base().createdAt(longAgo)
                .expiresAt(longAgo.plus(Duration.ofDays(90)))
                .token("jti-1", longAgo, longAgo.plus(Duration.ofDays(7)), "x")
                .signedBy(key)
                .writeTo(dir.resolve("old"));
        assertThat(run(
                        "verify",
                        expired.path().toString(),
                        "--trust",
                        key.publicPem().toString()))
                .isEqualTo(6);
        assertThat(err.toString()).contains("bundle expired on").contains("(110 days ago); build a new bundle");
    }

    @Test
    void verifyWithoutTrustIsAUsageError() {
        assertThat(run("verify", bundle.path().toString())).isEqualTo(2);
        assertThat(err.toString()).contains("--trust");
    }
}
