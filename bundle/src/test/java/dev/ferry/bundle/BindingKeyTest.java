package dev.ferry.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.bundle.testing.TestBundles;
import dev.ferry.bundle.testing.TestKeys;
import dev.ferry.keys.SigningKey;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The binding key (SPEC section 2): the same on a rebuild with the same key, so bundles stay reproducible, and a
 * different one for every other bundle or signing key, so that one that leaks exposes no other bundle's secrets.
 */
class BindingKeyTest {
    private static final Instant CREATED = Instant.parse("2026-11-22T10:00:00Z");

    @TempDir
    Path dir;

    @Test
    void theSameBundleAndKeyGiveTheSameBindingKey() {
        SigningKey key = TestKeys.generate();
        assertThat(BindingKey.derive(key, spec("bot", "1.0.0", 7, CREATED)))
                .hasSize(BindingKey.BYTES)
                .isEqualTo(BindingKey.derive(key, spec("bot", "1.0.0", 7, CREATED)));
    }

    @Test
    void everyOtherBundleOrSigningKeyGivesAnotherBindingKey() {
        SigningKey key = TestKeys.generate();
        byte[] derived = BindingKey.derive(key, spec("bot", "1.0.0", 7, CREATED));
        assertThat(derived)
                .isNotEqualTo(BindingKey.derive(TestKeys.generate(), spec("bot", "1.0.0", 7, CREATED)))
                .isNotEqualTo(BindingKey.derive(key, spec("other", "1.0.0", 7, CREATED)))
                .isNotEqualTo(BindingKey.derive(key, spec("bot", "1.0.1", 7, CREATED)))
                .isNotEqualTo(BindingKey.derive(key, spec("bot", "1.0.0", 8, CREATED)))
                .isNotEqualTo(BindingKey.derive(key, spec("bot", "1.0.0", 7, CREATED.plusSeconds(1))));
        // The fields are separated: moving a character from one field to the next gives another key.
        assertThat(BindingKey.derive(key, spec("bot1", "0.0", 7, CREATED)))
                .isNotEqualTo(BindingKey.derive(key, spec("bot", "10.0", 7, CREATED)));
    }

    private BundleSpec spec(String name, String version, long sequence, Instant createdAt) {
        BundleSpec spec = TestBundles.bundle(name, version)
                .spec(dir.resolve(name + version + sequence + createdAt.getEpochSecond()));
        return new BundleSpec(
                spec.name(),
                spec.version(),
                sequence,
                createdAt,
                spec.expiresAt(),
                spec.profile(),
                spec.token(),
                spec.files());
    }
}
