package dev.ferry.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.bundle.testing.TestBundles;
import dev.ferry.bundle.testing.TestKeys;
import dev.ferry.common.FerryException;
import dev.ferry.common.Progress;
import dev.ferry.common.Reason;
import dev.ferry.keys.SigningKey;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link BundleVerifier#verifyHead}: the first entries judged by the one verifier, the payload left unread. What the
 * installer acts on before step 4 must come from here (issue 19 item 6).
 */
class VerifyHeadTest {
    private static final Instant NOW = TestBundles.CREATED_AT.plus(Duration.ofDays(1));
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    /** Far more than the reader decompresses ahead of the tar reader, so a damage near the end is never reached. */
    private static final int PAYLOAD = 16 << 20;

    @TempDir
    Path dir;

    private SigningKey key;
    private WrittenBundle bundle;

    @BeforeEach
    void writeBundle() {
        key = TestKeys.generate();
        byte[] noise = new byte[PAYLOAD];
        new Random(7).nextBytes(noise);
        bundle = TestBundles.bundle("certinext-bot", "1.4.2")
                .file("payload/runtime/bin/agent", "#!/bin/sh\necho agent\n", "0755")
                .file("payload/runtime/lib/noise.bin", noise, "0644")
                .signedBy(key)
                .writeTo(dir.resolve("out"));
    }

    @Test
    void theHeadNamesTheSignedManifestItsSignersAndWhenItWasJudged() {
        VerifiedHead head = new BundleVerifier(TestKeys.trust(key), CLOCK).verifyHead(bundle.path());

        assertThat(head.manifest()).isEqualTo(bundle.manifest());
        assertThat(head.signerKeyIds()).containsExactly(bundle.keyIds().toArray(String[]::new));
        assertThat(head.trustVersion()).as("no pinned chain: v1's flat keys").isNull();
        assertThat(head.checkedAt()).isEqualTo(NOW);
    }

    @Test
    void anUntrustedSignerIsRefusedWithItsReason() {
        BundleVerifier stranger = new BundleVerifier(TestKeys.trust(TestKeys.generate()), CLOCK);

        assertThatThrownBy(() -> stranger.verifyHead(bundle.path()))
                .isInstanceOfSatisfying(
                        FerryException.class, e -> assertThat(e.reason()).isEqualTo(Reason.SIGNATURE_UNTRUSTED));
    }

    @Test
    void thePayloadIsNotReadSoDamageBeyondTheHeadIsFoundOnlyByTheFullVerify() throws IOException {
        Path truncated = Files.copy(bundle.path(), dir.resolve("truncated.bundle.tar.zst"));
        try (RandomAccessFile file = new RandomAccessFile(truncated.toFile(), "rw")) {
            file.setLength(file.length() - PAYLOAD / 4);
        }
        BundleVerifier verifier = new BundleVerifier(TestKeys.trust(key), CLOCK);

        try (OpenBundle open = verifier.open(truncated, Progress.NONE)) {
            assertThat(open.head().manifest()).isEqualTo(bundle.manifest());
            assertThatThrownBy(() -> open.verify(PayloadSink.discard()))
                    .isInstanceOfSatisfying(
                            FerryException.class, e -> assertThat(e.reason()).isEqualTo(Reason.TRUNCATED));
        }
    }

    @Test
    void theWindowIsJudgedAtTheVerifiersClockByTheFullVerifyNotByTheHead() {
        Clock late = Clock.fixed(bundle.manifest().expiresAt().plusSeconds(1), ZoneOffset.UTC);
        BundleVerifier verifier = new BundleVerifier(TestKeys.trust(key), late);

        VerifiedHead head = verifier.verifyHead(bundle.path());

        assertThat(head.checkedAt()).isAfter(head.manifest().expiresAt());
        assertThatThrownBy(() -> verifier.verify(bundle.path(), PayloadSink.discard()))
                .isInstanceOfSatisfying(
                        FerryException.class, e -> assertThat(e.reason()).isEqualTo(Reason.BUNDLE_EXPIRED));
    }

    @Test
    void aSplitBundlesHeadIsReadFromItsIndexOrFirstPart() {
        BundleSplitter.Split split = BundleSplitter.split(bundle.path(), 4 << 20, dir.resolve("parts"));
        BundleVerifier verifier = new BundleVerifier(TestKeys.trust(key), CLOCK);

        assertThat(verifier.verifyHead(split.index()).manifest()).isEqualTo(bundle.manifest());
        assertThat(verifier.verifyHead(split.parts().get(0)).manifest()).isEqualTo(bundle.manifest());
    }
}
