package dev.ferry.bundler.sbom;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.bundle.BundleReader;
import dev.ferry.bundle.FileEntry;
import dev.ferry.bundle.WrittenBundle;
import dev.ferry.bundle.testing.TestKeys;
import dev.ferry.bundle.testing.TestKeys.TestKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SPEC section 12's provenance, checked with stock tools: python3 builds the PAE, openssl verifies, sha256sum digests. */
class ProvenanceTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** SPEC section 10's PAE, written from the DSSE spec in Python, not with Ferry's code. */
    private static final String PAE_PY = """
            import base64, json, sys
            envelope = json.load(open(sys.argv[1]))
            payload = base64.b64decode(envelope["payload"])
            kind = envelope["payloadType"].encode()
            sys.stdout.buffer.write(b"DSSEv1 %d %s %d %s" % (len(kind), kind, len(payload), payload))
            """;

    @TempDir
    Path dir;

    @Test
    void stockOpensslVerifiesEverySignersSignatureOverThePaeBytes() throws Exception {
        ExampleBundles examples = new ExampleBundles(dir.resolve("examples"));
        TestKey release = TestKeys.create(dir.resolve("keys"), "release");
        TestKey second = TestKeys.create(dir.resolve("keys"), "second");
        WrittenBundle bundle =
                examples.create("dmz-east.yaml", dir.resolve("out"), 1795000000L, TestKeys.signing(release, second));
        Path envelopeFile = dir.resolve("provenance.dsse.json");
        Files.write(envelopeFile, provenance(bundle));
        JsonNode envelope = JSON.readTree(envelopeFile.toFile());
        assertThat(envelope.get("payloadType").asText()).isEqualTo("application/vnd.in-toto+json");

        Path pae = dir.resolve("pae.bin");
        Files.writeString(dir.resolve("pae.py"), PAE_PY);
        Files.write(pae, run(dir, "python3", dir.resolve("pae.py").toString(), envelopeFile.toString()));
        assertThat(envelope.get("signatures")).hasSize(2);
        for (TestKey key : List.of(release, second)) {
            JsonNode signature = signatureBy(envelope, key.keyId());
            Path sig = dir.resolve(key.keyId() + ".sig");
            Files.write(sig, Base64.getDecoder().decode(signature.get("sig").asText()));
            String verdict = new String(
                    run(
                            dir,
                            "openssl",
                            "pkeyutl",
                            "-verify",
                            "-pubin",
                            "-inkey",
                            key.publicPem().toString(),
                            "-rawin",
                            "-in",
                            pae.toString(),
                            "-sigfile",
                            sig.toString()),
                    StandardCharsets.UTF_8);
            assertThat(verdict).contains("Signature Verified Successfully");
        }
        // One changed byte of the statement and openssl refuses.
        byte[] tampered = Files.readAllBytes(pae);
        tampered[tampered.length - 2] ^= 1;
        Files.write(pae, tampered);
        Process refused = new ProcessBuilder(
                        "openssl",
                        "pkeyutl",
                        "-verify",
                        "-pubin",
                        "-inkey",
                        release.publicPem().toString(),
                        "-rawin",
                        "-in",
                        pae.toString(),
                        "-sigfile",
                        dir.resolve(release.keyId() + ".sig").toString())
                .redirectErrorStream(true)
                .start();
        refused.getInputStream().readAllBytes();
        assertThat(refused.waitFor()).isNotZero();
    }

    @Test
    void theStatementNamesTheBuildersProfileChainRuntimeDigestAndTokenIdButNeverTheToken() throws Exception {
        ExampleBundles examples = new ExampleBundles(dir.resolve("examples"));
        WrittenBundle bundle =
                examples.create("dmz-east.yaml", dir.resolve("out"), 1795000000L, List.of(TestKeys.generate()));
        JsonNode envelope = JSON.readTree(provenance(bundle));
        byte[] payload = Base64.getDecoder().decode(envelope.get("payload").asText());
        JsonNode statement = JSON.readTree(payload);

        assertThat(statement.get("_type").asText()).isEqualTo("https://in-toto.io/Statement/v1");
        assertThat(statement.get("predicateType").asText()).isEqualTo("https://slsa.dev/provenance/v1");
        FileEntry sbom = bundle.manifest().files().stream()
                .filter(f -> f.path().equals(CycloneDxSbom.PATH))
                .findFirst()
                .orElseThrow();
        assertThat(statement.at("/subject/0/name").asText()).isEqualTo(CycloneDxSbom.PATH);
        assertThat(statement.at("/subject/0/digest/sha256").asText()).isEqualTo(sbom.sha256());

        JsonNode predicate = statement.get("predicate");
        assertThat(predicate.at("/runDetails/builder/version/ferry").asText()).isNotBlank();
        assertThat(predicate.at("/runDetails/metadata/startedOn").asText())
                .isEqualTo(bundle.manifest().createdAt().toString());
        assertThat(predicate.at("/buildDefinition/externalParameters/token/id").asText())
                .isEqualTo(ExampleBundles.TOKEN_ID);
        JsonNode dependencies = predicate.at("/buildDefinition/resolvedDependencies");
        assertThat(dependencies.get(0).get("uri").asText()).isEqualTo("file:dmz-east.yaml");
        assertThat(dependencies.get(0).at("/digest/sha256").asText())
                .isEqualTo(sha256sum(examples.dir, "dmz-east.yaml"));
        assertThat(dependencies.get(1).get("uri").asText()).isEqualTo("file:base.yaml");
        assertThat(dependencies.get(1).at("/digest/sha256").asText()).isEqualTo(sha256sum(examples.dir, "base.yaml"));
        String runtimeDigest = new String(
                        run(
                                examples.runtime(),
                                "bash",
                                "-c",
                                "(find -L . -type f -printf '%P\\n' | LC_ALL=C sort | xargs -d '\\n' sha256sum) | sha256sum | cut -c1-64"),
                        StandardCharsets.UTF_8)
                .strip();
        assertThat(dependencies.get(2).get("uri").asText()).isEqualTo("file:runtime/certinext-bot/");
        assertThat(dependencies.get(2).at("/digest/sha256").asText()).isEqualTo(runtimeDigest);
        assertThat(new String(payload, StandardCharsets.UTF_8))
                .doesNotContain(examples.tokenValue())
                .doesNotContain(examples.dir.toString());
    }

    private static byte[] provenance(WrittenBundle bundle) {
        return BundleReader.readPayloadFile(bundle.path(), Provenance.PATH, 1 << 20)
                .orElseThrow();
    }

    private static JsonNode signatureBy(JsonNode envelope, String keyId) {
        for (JsonNode signature : envelope.get("signatures")) {
            if (signature.get("keyid").asText().equals(keyId)) {
                return signature;
            }
        }
        throw new AssertionError("no signature by " + keyId);
    }

    private static String sha256sum(Path dir, String file) throws IOException, InterruptedException {
        return new String(run(dir, "sha256sum", file), StandardCharsets.UTF_8).substring(0, 64);
    }

    private static byte[] run(Path dir, String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        byte[] out = process.getInputStream().readAllBytes();
        assertThat(process.waitFor()).as(String.join(" ", command)).isZero();
        return out;
    }
}
