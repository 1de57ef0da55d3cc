package dev.ferry.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.ferry.bundle.testing.TestBundles;
import dev.ferry.bundle.testing.TestKeys;
import dev.ferry.keys.Signer;
import dev.ferry.keys.SigningKey;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The binding key (SPEC section 2): the same on a rebuild with the same key and secrets, so bundles stay
 * reproducible, and a different one for every other bundle, signing key or secret, so that the holder of one bundle
 * (who has its key) cannot test guesses against another bundle's manifest at the speed of an HMAC.
 */
class BindingKeyTest {
    private static final Instant CREATED = TestBundles.CREATED_AT;
    private static final String SHA_A = "a".repeat(64);
    private static final String SHA_B = "b".repeat(64);

    @TempDir
    Path dir;

    private final SigningKey key = TestKeys.generate();

    @Test
    void theSameBundleKeyAndSecretsGiveTheSameBindingKey() {
        assertThat(BindingKey.derive(key, spec("bot", "1.0.0", 7, CREATED, "dmz"), secrets(BundleLayout.TOKEN, SHA_A)))
                .hasSize(BindingKey.BYTES)
                .isEqualTo(BindingKey.derive(
                        key, spec("bot", "1.0.0", 7, CREATED, "dmz"), secrets(BundleLayout.TOKEN, SHA_A)));
    }

    @Test
    void everyOtherBundleSigningKeyOrSecretGivesAnotherBindingKey() {
        BundleSpec spec = spec("bot", "1.0.0", 7, CREATED, "dmz");
        List<FileEntry> token = secrets(BundleLayout.TOKEN, SHA_A);
        assertThat(BindingKey.derive(key, spec, token))
                .isNotEqualTo(BindingKey.derive(TestKeys.generate(), spec, token))
                .isNotEqualTo(BindingKey.derive(key, spec("other", "1.0.0", 7, CREATED, "dmz"), token))
                .isNotEqualTo(BindingKey.derive(key, spec("bot", "1.0.1", 7, CREATED, "dmz"), token))
                .isNotEqualTo(BindingKey.derive(key, spec("bot", "1.0.0", 8, CREATED, "dmz"), token))
                .isNotEqualTo(BindingKey.derive(key, spec("bot", "1.0.0", 7, CREATED.plusSeconds(1), "dmz"), token))
                .isNotEqualTo(BindingKey.derive(key, spec("bot", "1.0.0", 7, CREATED, "datacenter"), token))
                // the same bundle with another token, or the token under another path, or one secret more
                .isNotEqualTo(BindingKey.derive(key, spec, secrets(BundleLayout.TOKEN, SHA_B)))
                .isNotEqualTo(BindingKey.derive(key, spec, secrets(BundleLayout.PROXY_PASSWORD, SHA_A)))
                .isNotEqualTo(BindingKey.derive(
                        key, spec, secrets(BundleLayout.PROXY_PASSWORD, SHA_B, BundleLayout.TOKEN, SHA_A)));
        // The fields are separated: moving a character from one field to the next gives another key.
        assertThat(BindingKey.derive(key, spec("bot1", "0.0", 7, CREATED, "dmz"), token))
                .isNotEqualTo(BindingKey.derive(key, spec("bot", "10.0", 7, CREATED, "dmz"), token));
    }

    /**
     * A signer behind a token or a command sees what it signs: only the bundle's public identity, the same whatever
     * the secrets, never a digest of one.
     */
    @Test
    void theSignerIsAskedToSignThePublicIdentityOnly() {
        List<byte[]> asked = new ArrayList<>();
        Signer recording = TestKeys.signerAs(key, data -> {
            asked.add(data.clone());
            return key.sign(data);
        });
        BundleSpec spec = spec("bot", "1.0.0", 7, CREATED, "dmz");
        byte[] first = BindingKey.derive(recording, spec, secrets(BundleLayout.TOKEN, SHA_A));
        byte[] second = BindingKey.derive(recording, spec, secrets(BundleLayout.TOKEN, SHA_B));

        assertThat(first).isNotEqualTo(second);
        assertThat(asked).hasSize(2);
        assertThat(new String(asked.get(0), StandardCharsets.UTF_8))
                .isEqualTo("ferry-bundle/1 binding key\0bot\0" + "1.0.0\0" + "7\0" + CREATED + "\0dmz");
        assertThat(asked.get(1)).isEqualTo(asked.get(0));
    }

    /**
     * The case that matters: two segments' bundles of one agent, built with a pinned clock (same name, version,
     * sequence and creation time), carry different binding keys, and a rebuild of either carries its own again.
     */
    @Test
    void siblingBundlesBuiltTheSameSecondCarryDifferentBindingKeys() {
        byte[] first = bindingKeyOf(sibling("segment-a", "token of segment a"), "a");
        assertThat(first).hasSize(BindingKey.BYTES);
        assertThat(bindingKeyOf(sibling("segment-b", "token of segment b"), "b"))
                .isNotEqualTo(first);
        assertThat(bindingKeyOf(sibling("segment-a", "another token"), "a2")).isNotEqualTo(first);
        assertThat(bindingKeyOf(sibling("segment-a", "token of segment a"), "a3"))
                .isEqualTo(first);
    }

    private TestBundles sibling(String profile, String token) {
        return TestBundles.bundle("bot", "1.0.0")
                .profile(JsonNodeFactory.instance.objectNode().put("name", profile))
                .token("tok-1", CREATED, CREATED.plusSeconds(86_400), token)
                .file("payload/runtime/VERSION", "1.0.0\n", "0644")
                .signedBy(key);
    }

    private byte[] bindingKeyOf(TestBundles bundle, String name) {
        Path path = bundle.writeTo(dir.resolve(name)).path();
        byte[][] found = new byte[1][];
        new BundleVerifier(TestKeys.trust(key), Clock.fixed(CREATED.plusSeconds(60), ZoneOffset.UTC))
                .verify(path, (entry, content) -> {
                    byte[] bytes = content.readAllBytes();
                    if (entry.path().equals(BundleLayout.BINDING_KEY)) {
                        found[0] = bytes;
                    }
                });
        return found[0];
    }

    private static List<FileEntry> secrets(String... pathsAndHashes) {
        List<FileEntry> entries = new ArrayList<>();
        for (int i = 0; i < pathsAndHashes.length; i += 2) {
            entries.add(new FileEntry(pathsAndHashes[i], 10, pathsAndHashes[i + 1], "0600"));
        }
        return entries;
    }

    private BundleSpec spec(String name, String version, long sequence, Instant createdAt, String profile) {
        BundleSpec spec = TestBundles.bundle(name, version)
                .profile(JsonNodeFactory.instance.objectNode().put("name", profile))
                .spec(dir.resolve(name + version + sequence + createdAt.getEpochSecond() + profile));
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
