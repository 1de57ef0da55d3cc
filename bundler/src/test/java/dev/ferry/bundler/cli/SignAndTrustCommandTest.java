package dev.ferry.bundler.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.bundle.BundleReader;
import dev.ferry.bundle.BundleVerifier;
import dev.ferry.bundle.ManifestView;
import dev.ferry.bundle.PayloadSink;
import dev.ferry.bundle.testing.TestBundles;
import dev.ferry.bundle.trust.ReleaseThreshold;
import dev.ferry.bundle.trust.SignedTrust;
import dev.ferry.bundle.trust.TrustChain;
import dev.ferry.cli.Json;
import dev.ferry.keys.KeyFiles;
import dev.ferry.keys.SigningKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The key ceremony through the bundler's commands: trust init, sign by each holder, show, next; then a bundle made
 * by one release key and signed by a second with {@code bundler sign}, its manifest and payload bytes unchanged.
 */
class SignAndTrustCommandTest {
    // The commands use the real clock: documents and bundles here are valid around now.
    static final Instant CREATED = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofHours(1));

    @TempDir
    Path dir;

    private SigningKey root1;
    private SigningKey root2;
    private SigningKey rel1;
    private SigningKey rel2;

    @BeforeEach
    void keys() {
        root1 = KeyFiles.generate("root1", dir.resolve("keys"), null);
        root2 = KeyFiles.generate("root2", dir.resolve("keys"), null);
        rel1 = KeyFiles.generate("rel1", dir.resolve("keys"), null);
        rel2 = KeyFiles.generate("rel2", dir.resolve("keys"), null);
    }

    private String pub(String name) {
        return dir.resolve("keys/" + name + ".pub.pem").toString();
    }

    private String key(String name) {
        return dir.resolve("keys/" + name + ".key.pem").toString();
    }

    private KeysTestCli.Run ok(String... args) {
        KeysTestCli.Run run = KeysTestCli.bundler(args);
        assertThat(run.exitCode()).as(run.all()).isZero();
        return run;
    }

    private Path ceremonyV1() {
        Path v1 = dir.resolve("1.trust.json");
        ok(
                "trust",
                "init",
                "--root-key",
                pub("root1"),
                "--root-key",
                pub("root2"),
                "--root-threshold",
                "2",
                "--release-key",
                pub("rel1"),
                "--release-key",
                pub("rel2"),
                "--release-threshold",
                "2",
                "--out",
                v1.toString());
        ok("trust", "sign", v1.toString(), "--key", key("root1"));
        ok("trust", "sign", v1.toString(), "--key", key("root2"));
        return v1;
    }

    @Test
    void keyCeremonyMakesAVersion1ThatPinsAndANextThatFollows() throws Exception {
        Path v1 = ceremonyV1();
        JsonNode shown = Json.MAPPER.readTree(
                ok("trust", "show", v1.toString(), "--json").out());
        assertThat(shown.get("version").asLong()).isEqualTo(1);
        assertThat(shown.at("/signatures/own root keys/met").asBoolean()).isTrue();
        assertThat(shown.at("/root/threshold").asInt()).isEqualTo(2);
        TrustChain chain = TrustChain.pin(SignedTrust.read(v1));

        Path v2 = dir.resolve("2.trust.json");
        ok(
                "trust",
                "next",
                v1.toString(),
                "--out",
                v2.toString(),
                "--revoke-key",
                rel2.keyId(),
                "--add-release-key",
                pub("root2"),
                "--revoke-token",
                "jti-9");
        ok("trust", "sign", v2.toString(), "--key", key("root1"));
        String partly =
                ok("trust", "show", v2.toString(), "--previous", v1.toString()).out();
        assertThat(partly).contains("root keys of version 1: 1 of 2 counted (NOT met)");
        ok("trust", "sign", v2.toString(), "--key", key("root2"));
        TrustChain next = chain.update(SignedTrust.read(v2));
        assertThat(next.current().revokedTokens()).containsExactly("jti-9");
        assertThat(next.current().releaseKeysInForce()).doesNotContainKey(rel2.keyId());
    }

    @Test
    void signingTwiceWithOneKeyStillCountsOnce() throws Exception {
        Path v1 = dir.resolve("1.trust.json");
        ok(
                "trust",
                "init",
                "--root-key",
                pub("root1"),
                "--root-key",
                pub("root2"),
                "--root-threshold",
                "2",
                "--release-key",
                pub("rel1"),
                "--release-threshold",
                "1",
                "--out",
                v1.toString());
        ok("trust", "sign", v1.toString(), "--key", key("root1"));
        ok("trust", "sign", v1.toString(), "--key", key("root1"));
        assertThat(SignedTrust.read(v1).envelope().signatures()).hasSize(1);
        assertThat(ok("trust", "show", v1.toString()).out()).contains("1 of 2 counted (NOT met)");
    }

    @Test
    void aThresholdNobodyCouldMeetIsAUsageError() {
        KeysTestCli.Run run = KeysTestCli.bundler(
                "trust",
                "init",
                "--root-key",
                pub("root1"),
                "--root-threshold",
                "2",
                "--release-key",
                pub("rel1"),
                "--release-threshold",
                "1",
                "--out",
                dir.resolve("x.json").toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--root-threshold 2 is more than the 1 root key(s)");
        assertThat(dir.resolve("x.json")).doesNotExist();
    }

    @Test
    void signAddsASecondReleaseSignatureWithoutChangingManifestOrPayload() throws Exception {
        Path bundle = TestBundles.bundle("agent", "2.0.0")
                .createdAt(CREATED)
                .file("payload/runtime/bin/agent", "#!/bin/sh\necho hi\n", "0755")
                .file("payload/runtime/lib/big.bin", random(2 * 1024 * 1024), "0644")
                .signedBy(rel1)
                .writeTo(dir.resolve("out"))
                .path();
        byte[] before = Files.readAllBytes(bundle);
        ManifestView first = BundleReader.readManifest(bundle);
        Path signed = dir.resolve("signed.bundle.tar.zst");

        KeysTestCli.Run run = ok("sign", bundle.toString(), "--key", key("rel2"), "--out", signed.toString());
        assertThat(run.out()).contains("signed by " + rel2.keyId());
        assertThat(Files.readAllBytes(bundle)).isEqualTo(before);

        ManifestView second = BundleReader.readManifest(signed);
        assertThat(second.manifestBytes()).isEqualTo(first.manifestBytes());
        assertThat(second.signatureKeyIds()).containsExactlyInAnyOrder(rel1.keyId(), rel2.keyId());
        byte[] after = Files.readAllBytes(signed);
        int tail = 1024 * 1024; // well inside the payload frame, which zstd cannot shrink (random bytes)
        assertThat(Arrays.copyOfRange(after, after.length - tail, after.length))
                .isEqualTo(Arrays.copyOfRange(before, before.length - tail, before.length));

        TrustChain chain = TrustChain.pin(SignedTrust.read(ceremonyV1()));
        var verified = new BundleVerifier(ReleaseThreshold.inMemory(chain, Clock.systemUTC()), Clock.systemUTC())
                .verify(signed, PayloadSink.discard());
        assertThat(verified.signerKeyIds()).containsExactlyInAnyOrder(rel1.keyId(), rel2.keyId());
        assertThat(KeysTestCli.bundler("verify", bundle.toString(), "--trust", pub("rel1"))
                        .exitCode())
                .isZero();

        // In place, a second time with the same key: still two signatures, still the same manifest.
        ok("sign", signed.toString(), "--key", key("rel2"));
        assertThat(BundleReader.readManifest(signed).signatureKeyIds()).hasSize(2);
    }

    private static byte[] random(int n) {
        byte[] bytes = new byte[n];
        new Random(7).nextBytes(bytes);
        return bytes;
    }

    @Test
    void signWithBothAKeyAndACommandIsOneTooMany() {
        KeysTestCli.Run run = KeysTestCli.bundler(
                "sign",
                dir.resolve("x").toString(),
                "--key",
                key("rel1"),
                "--sign-command",
                "cat",
                "--sign-pub",
                pub("rel2"));
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("one signature at a time");
    }
}
