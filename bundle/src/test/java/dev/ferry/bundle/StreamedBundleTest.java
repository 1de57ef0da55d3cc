package dev.ferry.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.bundle.testing.RawBundleWriter;
import dev.ferry.bundle.testing.TestKeys;
import dev.ferry.common.ExitCode;
import dev.ferry.common.FerryException;
import dev.ferry.common.Progress;
import dev.ferry.common.Reason;
import dev.ferry.keys.SigningKey;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link OpenBundle#stream}: the install's way to verify, which hands the payload over before the secrets' slow
 * digests are judged and gives the verdict only when asked; the verdict is the one {@code verify} gives.
 */
class StreamedBundleTest {
    private static final byte[] ALPHA = "alpha-content\n".getBytes(StandardCharsets.UTF_8);
    private static final byte[] TOKEN = "header.claims.signature\n".getBytes(StandardCharsets.UTF_8);
    private static final FileEntry A = RawBundleWriter.entryFor("payload/a", ALPHA, "0644");
    private static final FileEntry SEALED = RawBundleWriter.entryFor("payload/secrets/token", TOKEN, "0600");

    @TempDir
    Path dir;

    private final SigningKey key = TestKeys.generate();
    private final List<String> stored = new ArrayList<>();

    private Path bundle(String name, byte[] tokenBytes) {
        return RawBundleWriter.create()
                .signedManifest(HostileBundleTest.manifest(A, SEALED), key)
                .file("payload/a", ALPHA, 0644)
                .file("payload/secrets/token", tokenBytes, 0600)
                .endOfArchive()
                .writeTo(dir.resolve(name + ".bundle.tar.zst"));
    }

    private BundleVerifier verifier() {
        return new BundleVerifier(TestKeys.trust(key), HostileBundleTest.NOW);
    }

    private StreamedBundle stream(Path bundle) {
        try (OpenBundle open = verifier().open(bundle, Progress.NONE)) {
            return open.stream((entry, in) -> {
                stored.add(entry.path());
                in.transferTo(OutputStream.nullOutputStream());
            });
        }
    }

    @Test
    void aGenuineBundlesVerdictIsWhatVerifyReturns() {
        Path bundle = bundle("genuine", TOKEN);
        StreamedBundle streamed = stream(bundle);
        VerifiedBundle verdict = streamed.verdict();
        VerifiedBundle verified = verifier().verify(bundle, PayloadSink.discard());
        assertThat(verdict.sha256()).isEqualTo(verified.sha256());
        assertThat(verdict.manifestBytes()).isEqualTo(verified.manifestBytes());
        assertThat(verdict.signerKeyIds()).isEqualTo(verified.signerKeyIds());
        assertThat(streamed.verdict()).isSameAs(verdict);
    }

    @Test
    void aSecretThatDoesNotMatchIsRefusedByTheVerdictEveryTimeItIsAsked() {
        byte[] swapped = TOKEN.clone();
        swapped[0] ^= 0x01;
        Path bundle = bundle("swapped", swapped);
        // The stream itself ends: every byte was read and stored (in staging, for the install), the digest pending.
        StreamedBundle streamed = stream(bundle);
        assertThat(stored).containsExactly("payload/a", "payload/secrets/token");
        for (int asked = 0; asked < 2; asked++) {
            assertThatThrownBy(streamed::verdict).isInstanceOfSatisfying(FerryException.class, e -> {
                assertThat(e.exitCode()).isEqualTo(ExitCode.VERIFICATION);
                assertThat(e.reason()).isEqualTo(Reason.SECRET_MISMATCH);
                assertThat(e.getMessage())
                        .startsWith(bundle + ": payload/secrets/token: ")
                        .doesNotContain("\n");
            });
        }
        // verify gives the same refusal in one call.
        assertThatThrownBy(() -> verifier().verify(bundle, PayloadSink.discard()))
                .isInstanceOfSatisfying(
                        FerryException.class, e -> assertThat(e.reason()).isEqualTo(Reason.SECRET_MISMATCH));
    }
}
