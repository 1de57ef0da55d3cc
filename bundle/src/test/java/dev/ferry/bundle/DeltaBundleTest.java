package dev.ferry.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.bundle.testing.TestBundles;
import dev.ferry.bundle.testing.TestKeys;
import dev.ferry.keys.SigningKey;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SPEC section 11, delta bundles, in the format: what is marked, what travels, what the verifier reads. */
class DeltaBundleTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-23T10:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    private static TestBundles release(String version, long sequence, String changed) {
        return TestBundles.bundle("certinext-bot", version)
                .sequence(sequence)
                .file("payload/runtime/bin/agent", "#!/bin/sh\necho agent\n", "0755")
                .file("payload/runtime/lib/big.bin", noise(), "0644")
                .file("payload/runtime/lib/changed.txt", changed, "0644");
    }

    /** Incompressible, so the bundle's size is the bytes it carries. */
    private static byte[] noise() {
        byte[] bytes = new byte[100_000];
        new Random(3).nextBytes(bytes);
        return bytes;
    }

    @Test
    void filesTheBaseHoldsStayBehindAndTheManifestStillListsEveryFile() throws Exception {
        SigningKey key = TestKeys.generate();
        WrittenBundle base = release("1.0.0", 1, "old\n").signedBy(key).writeTo(dir.resolve("base"));
        WrittenBundle full = release("1.1.0", 2, "new\n").signedBy(key).writeTo(dir.resolve("full"));
        ManifestView baseView = BundleReader.readManifest(base.path());
        TestBundles next = release("1.1.0", 2, "new\n").signedBy(key);
        WrittenBundle delta = new BundleWriter(3, 1)
                .against(DeltaPlan.against(baseView))
                .write(next.spec(dir.resolve("src")), List.of(key), dir.resolve("delta"));

        Manifest m = delta.manifest();
        assertThat(m.base())
                .isEqualTo(new DeltaBase(
                        "certinext-bot",
                        "1.0.0",
                        1,
                        HexFormat.of()
                                .formatHex(MessageDigest.getInstance("SHA-256").digest(baseView.manifestBytes()))));
        assertThat(m.files())
                .extracting(FileEntry::path)
                .isEqualTo(full.manifest().files().stream().map(FileEntry::path).toList());
        assertThat(m.files())
                .filteredOn(FileEntry::fromBase)
                .extracting(FileEntry::path)
                .containsExactly("payload/runtime/bin/agent", "payload/runtime/lib/big.bin");
        assertThat(m.carried())
                .extracting(FileEntry::path)
                .contains("payload/runtime/lib/changed.txt", "payload/secrets/token");
        assertThat(delta.size()).isLessThan(full.size() / 10);

        String json = new String(ManifestCodec.encode(m), StandardCharsets.UTF_8);
        assertThat(json)
                .contains("\"from\" : \"base\"")
                .contains("\"manifestSha256\" : \"" + m.base().manifestSha256() + "\"");
        assertThat(ManifestCodec.decode(ManifestCodec.encode(m), "x")).isEqualTo(m);

        List<String> sunk = new ArrayList<>();
        VerifiedBundle verified = new BundleVerifier(TestKeys.trust(key), CLOCK)
                .verify(delta.path(), (entry, content) -> {
                    sunk.add(entry.path());
                    content.readAllBytes();
                });
        assertThat(verified.manifest()).isEqualTo(m);
        assertThat(sunk)
                .containsExactlyElementsOf(
                        m.carried().stream().map(FileEntry::path).toList());
    }

    @Test
    void aFullBundleHasNoBaseAndNoFromField() {
        SigningKey key = TestKeys.generate();
        WrittenBundle full = release("1.1.0", 2, "new\n").signedBy(key).writeTo(dir.resolve("full"));
        assertThat(full.manifest().isDelta()).isFalse();
        assertThat(new String(ManifestCodec.encode(full.manifest()), StandardCharsets.UTF_8))
                .doesNotContain("\"from\"")
                .doesNotContain("\"base\"");
    }
}
