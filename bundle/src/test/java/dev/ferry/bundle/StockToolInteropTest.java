package dev.ferry.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.bundle.testing.TestBundles;
import dev.ferry.bundle.testing.TestKeys;
import dev.ferry.bundle.testing.TestKeys.TestKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The format promise of SPEC section 2, checked with the stock tools a technician has: zstd, tar, sha256sum, openssl. */
class StockToolInteropTest {
    @TempDir
    Path dir;

    private TestKey key;
    private WrittenBundle bundle;

    @BeforeEach
    void writeBundle() {
        key = TestKeys.create(dir.resolve("keys"), "release");
        bundle = TestBundles.bundle("certinext-bot", "1.4.2")
                .file("payload/runtime/bin/agent", "#!/bin/sh\necho agent\n", "0755")
                .file("payload/runtime/lib/" + "x".repeat(150) + ".jar", "long name\n", "0644")
                .file("payload/runtime/naïve.txt", "non-ASCII name\n", "0640")
                .file("payload/runtime/empty", "", "0644")
                .signedBy(key)
                .writeTo(dir.resolve("out"));
    }

    @Test
    void zstdAndTarExtractItAndSha256sumConfirmsEveryManifestHash() throws Exception {
        Path extracted = extract();

        assertThat(extracted.resolve("manifest.json")).hasBinaryContent(ManifestCodec.encode(bundle.manifest()));
        // Every file but the secrets, which the manifest lists without a fast digest (the next test checks them).
        List<FileEntry> plain = bundle.manifest().files().stream()
                .filter(f -> !BundleLayout.isSecret(f.path()))
                .toList();
        assertThat(plain).hasSize(bundle.manifest().files().size() - 2);
        String checksums =
                plain.stream().map(f -> f.sha256() + "  " + f.path() + "\n").collect(Collectors.joining());
        Files.writeString(dir.resolve("SHA256SUMS"), checksums);
        String out = run(
                extracted,
                "sha256sum",
                "--strict",
                "-c",
                dir.resolve("SHA256SUMS").toString());
        assertThat(out.lines()).hasSize(plain.size()).allMatch(line -> line.endsWith(": OK"));
        assertThat(Files.getPosixFilePermissions(extracted.resolve("payload/runtime/bin/agent")))
                .contains(PosixFilePermission.OWNER_EXECUTE);
    }

    @Test
    void opensslReproducesTheSecretsHmacAndTheManifestHoldsNoFastDigestOfTheSecretOrItsKey() throws Exception {
        Path extracted = extract();
        FileEntry token = entry(BundleLayout.TOKEN);
        assertThat(token.secret().kdf()).isEqualTo(SecretDigest.HMAC);
        assertThat(entry(BundleLayout.BINDING_KEY).secret()).isEqualTo(SecretDigest.BINDING_KEY);

        // The README's recipe, as a technician would type it.
        String mac = run(
                extracted,
                "sh",
                "-c",
                "printf '%s\\0%s' \"$1\" $(sha256sum \"$1\" | cut -c1-64) | openssl mac -digest SHA256"
                        + " -macopt hexkey:$(sha256sum \"$2\" | cut -c1-64) HMAC",
                "sh",
                token.path(),
                BundleLayout.BINDING_KEY);
        assertThat(mac.strip().toLowerCase(Locale.ROOT))
                .isEqualTo(token.secret().hash());

        String manifest = Files.readString(extracted.resolve("manifest.json"));
        for (String secret : List.of(BundleLayout.TOKEN, BundleLayout.BINDING_KEY)) {
            String fastDigest = run(extracted, "sh", "-c", "sha256sum \"$1\" | cut -c1-64", "sh", secret)
                    .strip();
            assertThat(manifest).as(secret).doesNotContain(fastDigest).doesNotContain(fastDigest.substring(0, 16));
        }
        assertThat(manifest).doesNotContain("test-token-secret");
        assertThat(manifest.substring(manifest.indexOf("\"path\" : \"" + BundleLayout.TOKEN + "\",")))
                .startsWith("\"path\" : \"payload/secrets/token\",\n      \"mode\" : \"0600\",\n      \"secret\" : {");
    }

    @Test
    void aSlowDigestThatOpensslComputesIsOneTheVerifierAccepts() throws Exception {
        // Bundles made before the binding key list a PBKDF2 of each secret: openssl's, for the real token of a real
        // bundle, must be what the verifier's own PBKDF2 accepts, and for those bytes only.
        Path extracted = extract();
        String salt = "00112233445566778899aabbccddeeff";
        String derived = run(
                extracted,
                "sh",
                "-c",
                "openssl kdf -keylen 32 -kdfopt digest:SHA256"
                        + " -kdfopt pass:$(sha256sum \"$1\" | cut -c1-64) -kdfopt hexsalt:\"$2\" -kdfopt iter:\"$3\" PBKDF2",
                "sh",
                BundleLayout.TOKEN,
                salt,
                String.valueOf(SecretDigest.ITERATIONS));
        SecretDigest listed = new SecretDigest(
                SecretDigest.KDF,
                SecretDigest.ITERATIONS,
                salt,
                derived.strip().replace(":", "").toLowerCase(Locale.ROOT));
        String tokenSha256 = Sha256.hex(Files.readAllBytes(extracted.resolve(BundleLayout.TOKEN)));
        assertThat(listed.problem()).isNull();
        assertThat(listed.matches(BundleLayout.TOKEN, tokenSha256, null)).isTrue();
        String otherSha256 = (tokenSha256.startsWith("0") ? "1" : "0") + tokenSha256.substring(1);
        assertThat(listed.matches(BundleLayout.TOKEN, otherSha256, null)).isFalse();
    }

    private Path extract() throws IOException, InterruptedException {
        Path extracted = Files.createDirectories(dir.resolve("x"));
        run(
                dir,
                "sh",
                "-c",
                "zstd -dc \"$1\" | tar -x -C \"$2\"",
                "sh",
                bundle.path().toString(),
                extracted.toString());
        return extracted;
    }

    private FileEntry entry(String path) {
        return bundle.manifest().files().stream()
                .filter(f -> f.path().equals(path))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void opensslVerifiesTheExtractedSignatureWithThePublicKey() throws Exception {
        Path extracted = Files.createDirectories(dir.resolve("x"));
        run(
                dir,
                "sh",
                "-c",
                "zstd -dc \"$1\" | tar -x -C \"$2\"",
                "sh",
                bundle.path().toString(),
                extracted.toString());

        String out = run(
                extracted,
                "openssl",
                "pkeyutl",
                "-verify",
                "-pubin",
                "-inkey",
                key.publicPem().toString(),
                "-rawin",
                "-in",
                "manifest.json",
                "-sigfile",
                "signatures/" + key.keyId() + ".sig");
        assertThat(out).contains("Signature Verified Successfully");

        String keyId = run(
                dir,
                "sh",
                "-c",
                "openssl pkey -pubin -in \"$1\" -outform DER | tail -c 32 | sha256sum | cut -c1-16",
                "sh",
                key.publicPem().toString());
        assertThat(keyId.strip()).isEqualTo(key.keyId());
    }

    @Test
    void tarListsRootOwnershipAndCreatedAtForEveryEntry() throws Exception {
        String listing = run(
                dir,
                "sh",
                "-c",
                "zstd -dc \"$1\" | tar --numeric-owner --full-time --utc -tvf -",
                "sh",
                bundle.path().toString());
        List<String> lines = listing.lines().toList();
        assertThat(lines).hasSize(2 + bundle.manifest().files().size());
        assertThat(lines).allSatisfy(line -> assertThat(line).contains(" 0/0 ").contains("2026-11-22 10:00:00"));
        assertThat(lines.get(0)).startsWith("-rw-r--r--").endsWith(" manifest.json");
        assertThat(lines)
                .anySatisfy(line -> assertThat(line).startsWith("-rwxr-xr-x").endsWith(" payload/runtime/bin/agent"));
        assertThat(lines).noneMatch(line -> line.startsWith("d") || line.startsWith("l"));
    }

    @Test
    void zstdTestsTheWholeFileAsValidFrames() throws Exception {
        String out = run(dir, "zstd", "-t", bundle.path().toString());
        assertThat(out).contains(bundle.path().getFileName().toString());
    }

    static String run(Path cwd, String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command)
                .directory(cwd.toFile())
                .redirectErrorStream(true)
                .start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue())
                .as(String.join(" ", command) + "\n" + out)
                .isZero();
        return out;
    }
}
