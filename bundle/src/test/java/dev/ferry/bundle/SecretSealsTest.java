package dev.ferry.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.bundle.testing.TestBundles;
import dev.ferry.bundle.testing.TestKeys;
import dev.ferry.bundle.testing.TestKeys.TestKey;
import dev.ferry.common.Progress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Secrets sealed before the writer's first read (what {@code bundler create} does to keep the PBKDF2 off its critical
 * path): the bundle is the one the writer makes alone, byte for byte, and a seal that is not for the bytes packed is
 * never used.
 */
class SecretSealsTest {
    private static final Clock NOW = Clock.fixed(TestBundles.CREATED_AT.plusSeconds(60), ZoneOffset.UTC);

    @TempDir
    Path dir;

    private TestKey key;
    private BundleSpec spec;
    private Path token;

    @BeforeEach
    void spec() {
        key = TestKeys.create(dir.resolve("keys"), "signer");
        spec = TestBundles.bundle("certinext-bot", "1.4.2")
                .sequence(42)
                .file("payload/runtime/bin/agent", "#!/bin/sh\necho agent\n", "0755")
                .file(BundleLayout.PROXY_PASSWORD, "proxy-password", "0600")
                .token("tok-1", TestBundles.CREATED_AT, TestBundles.CREATED_AT.plusSeconds(86_400), "first-token")
                .spec(dir.resolve("sources"));
        token = source(BundleLayout.TOKEN);
    }

    @Test
    void aBundleSealedEarlyIsByteForByteTheOneSealedAfterHashing() throws Exception {
        SecretSeals early = startFor(spec.sequence());

        Path alone = write(new BundleWriter(3, 1), "alone");
        Path sealedEarly = write(new BundleWriter(3, 1).sealedEarly(early), "early");

        assertThat(Files.readAllBytes(sealedEarly)).isEqualTo(Files.readAllBytes(alone));
    }

    @Test
    void aTokenRewrittenAfterItsSealBeganIsSealedAsPacked() throws Exception {
        SecretSeals early = startFor(spec.sequence());
        Files.writeString(token, "second-token");

        Path sealedEarly = write(new BundleWriter(3, 1).sealedEarly(early), "early");

        assertThat(Files.readAllBytes(sealedEarly))
                .isEqualTo(Files.readAllBytes(write(new BundleWriter(3, 1), "alone")));
        new BundleVerifier(TestKeys.trust(key), NOW).verify(sealedEarly, (entry, in) -> {
            if (entry.path().equals(BundleLayout.TOKEN)) {
                assertThat(entry.secret().matches(Sha256.hex(in.readAllBytes())))
                        .isTrue();
            }
        });
    }

    @Test
    void aSealForAnotherBundleIsNotTaken() throws Exception {
        SecretSeals forOtherSequence = startFor(spec.sequence() + 1);

        Path sealedEarly = write(new BundleWriter(3, 1).sealedEarly(forOtherSequence), "early");

        assertThat(Files.readAllBytes(sealedEarly))
                .isEqualTo(Files.readAllBytes(write(new BundleWriter(3, 1), "alone")));
    }

    private SecretSeals startFor(long sequence) {
        List<PayloadFile> secrets = spec.files().stream()
                .filter(f -> BundleLayout.isSecret(f.path()))
                .toList();
        assertThat(secrets).hasSize(2);
        return SecretSeals.start(spec.name(), spec.version(), sequence, spec.createdAt(), secrets);
    }

    private Path source(String path) {
        return spec.files().stream()
                .filter(f -> f.path().equals(path))
                .findFirst()
                .orElseThrow()
                .source();
    }

    private Path write(BundleWriter writer, String out) {
        return writer.write(spec, List.of(key.signingKey()), dir.resolve(out), Progress.NONE)
                .path();
    }
}
