package dev.ferry.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ManifestWarmUpTest {
    @Test
    void theSampleManifestPassesEveryRuleSoTheWarmUpRunsThemAll() {
        // A sample refused half-way would warm only what runs before the refusal.
        Manifest manifest = ManifestWarmUp.run();

        assertThat(manifest.files())
                .extracting(FileEntry::path)
                .containsExactly("payload/runtime/bin/agent", "payload/secrets/binding-key", "payload/secrets/token");
        assertThat(manifest.files().get(2).secret().kdf()).isEqualTo(SecretDigest.HMAC);
        assertThat(HostFieldRules.profile(manifest).agent().name()).isEqualTo("warm-up");
    }
}
