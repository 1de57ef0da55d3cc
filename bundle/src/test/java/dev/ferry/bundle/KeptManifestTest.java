package dev.ferry.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.common.FerryException;
import dev.ferry.common.Reason;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A release installed by an older Ferry keeps the manifest it was verified with. Host-field rules that a newer Ferry
 * made stricter refuse such a manifest in a new bundle, but must not lock the host out of the release it runs:
 * status, rollback, undo and uninstall read it with {@link ManifestCodec#decodeKept}, which keeps every format rule.
 */
class KeptManifestTest {
    private static final Instant CREATED = Instant.parse("2026-11-22T10:00:00Z");

    @Test
    void aKeptManifestFromBeforeAStricterRuleStaysReadableButANewBundleWithItIsRefused() {
        ObjectNode profile = JsonNodeFactory.instance.objectNode().put("name", "old-segment");
        profile.putObject("agent").putArray("exec").add("java").add("-jar").add("agent.jar");
        byte[] json = ManifestCodec.encode(manifest(profile, "payload/runtime/agent.jar"));

        FerryException refused =
                catchThrowableOfType(() -> ManifestCodec.decode(json, "new.bundle"), FerryException.class);
        assertThat(refused.reason()).isEqualTo(Reason.UNSAFE_FIELD);
        assertThat(refused.getMessage()).contains("profile.agent.exec[0]");

        assertThat(ManifestCodec.decodeKept(json, "releases/1.0.0-5/manifest.json")
                        .profile())
                .isEqualTo(profile);
    }

    @Test
    void aKeptManifestStillAnswersToTheFormatRules() {
        byte[] json = ManifestCodec.encode(manifest(JsonNodeFactory.instance.objectNode(), "payload/../etc/passwd"));
        FerryException refused =
                catchThrowableOfType(() -> ManifestCodec.decodeKept(json, "kept"), FerryException.class);
        assertThat(refused.reason()).isEqualTo(Reason.UNSAFE_PATH);
    }

    private static Manifest manifest(ObjectNode profile, String path) {
        return new Manifest(
                Manifest.FORMAT,
                "old-bot",
                "1.0.0",
                5,
                CREATED,
                CREATED.plusSeconds(86400),
                profile,
                null,
                List.of(new FileEntry(path, 3, "ab".repeat(32), "0644")));
    }
}
