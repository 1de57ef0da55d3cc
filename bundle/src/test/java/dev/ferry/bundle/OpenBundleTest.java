package dev.ferry.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.bundle.ProgressReportTest.Recording;
import dev.ferry.bundle.testing.TestBundles;
import dev.ferry.bundle.testing.TestKeys;
import dev.ferry.common.FerryException;
import dev.ferry.common.Progress;
import dev.ferry.common.Reason;
import dev.ferry.keys.SigningKey;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link BundleVerifier#open}: the install judges a bundle's head, acts on it (preflight, the pending record), then
 * reads the payload from the same open file, without reading or checking the head a second time.
 */
class OpenBundleTest {
    private static final Instant NOW = TestBundles.CREATED_AT.plus(Duration.ofDays(1));

    @TempDir
    Path dir;

    private final SigningKey key = TestKeys.generate();

    private WrittenBundle bundle(String version, String agentText) {
        byte[] noise = new byte[2 << 20];
        new Random(version.hashCode()).nextBytes(noise);
        return TestBundles.bundle("certinext-bot", version)
                .file("payload/runtime/bin/agent", agentText, "0755")
                .file("payload/runtime/lib/noise.bin", noise, "0644")
                .signedBy(key)
                .writeTo(dir.resolve(version));
    }

    private BundleVerifier verifier(Clock clock) {
        return new BundleVerifier(TestKeys.trust(key), clock);
    }

    @Test
    void thePayloadComesFromTheFileWhoseHeadWasJudgedEvenIfTheNameIsReplacedMeanwhile() throws IOException {
        WrittenBundle first = bundle("1.0.0", "#!/bin/sh\necho one\n");
        WrittenBundle other = bundle("2.0.0", "#!/bin/sh\necho two\n");
        Path given = dir.resolve("given.bundle.tar.zst");
        Files.copy(first.path(), given);
        List<String> agentTexts = new ArrayList<>();

        try (OpenBundle open = verifier(Clock.fixed(NOW, ZoneOffset.UTC)).open(given, Progress.NONE)) {
            // Someone swaps the file under the name while preflight runs.
            Files.move(other.path(), given, StandardCopyOption.REPLACE_EXISTING);
            VerifiedBundle verified = open.verify((entry, in) -> {
                if (entry.path().endsWith("/agent")) {
                    agentTexts.add(new String(in.readAllBytes()));
                } else {
                    in.transferTo(OutputStream.nullOutputStream());
                }
            });

            assertThat(verified.manifest()).isEqualTo(open.head().manifest()).isEqualTo(first.manifest());
            assertThat(verified.sha256()).isEqualTo(first.sha256());
        }
        assertThat(agentTexts).containsExactly("#!/bin/sh\necho one\n");
    }

    @Test
    void thePayloadIsReadOnce() {
        WrittenBundle written = bundle("1.0.0", "#!/bin/sh\n");
        try (OpenBundle open = verifier(Clock.fixed(NOW, ZoneOffset.UTC)).open(written.path(), Progress.NONE)) {
            open.verify(PayloadSink.discard());

            assertThatThrownBy(() -> open.stream(PayloadSink.discard()))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("read already");
        }
    }

    @Test
    void progressIsToldNothingUntilThePayloadIsReadThenEveryByteOfTheFile() throws IOException {
        WrittenBundle written = bundle("1.0.0", "#!/bin/sh\n");
        Recording progress = new Recording();

        try (OpenBundle open = verifier(Clock.fixed(NOW, ZoneOffset.UTC)).open(written.path(), progress)) {
            assertThat(progress.total.get())
                    .as("a refusal at preflight draws no bar")
                    .isEqualTo(-1);
            assertThat(progress.done.get()).isZero();

            open.verify(PayloadSink.discard());
        }
        assertThat(progress.total.get()).isEqualTo(Files.size(written.path()));
        assertThat(progress.done.get()).isEqualTo(Files.size(written.path()));
    }

    @Test
    void theValidityWindowIsJudgedWhenThePayloadIsReadNotWhenTheHeadWas() {
        WrittenBundle written = bundle("1.0.0", "#!/bin/sh\n");
        MovingClock clock = new MovingClock(NOW);

        try (OpenBundle open = verifier(clock).open(written.path(), Progress.NONE)) {
            clock.now = written.manifest().expiresAt().plusSeconds(1);

            assertThatThrownBy(() -> open.verify(PayloadSink.discard()))
                    .isInstanceOfSatisfying(
                            FerryException.class, e -> assertThat(e.reason()).isEqualTo(Reason.BUNDLE_EXPIRED));
        }
    }

    @Test
    void aHeadThatIsRefusedLeavesNothingOpen() {
        WrittenBundle written = bundle("1.0.0", "#!/bin/sh\n");
        BundleVerifier stranger =
                new BundleVerifier(TestKeys.trust(TestKeys.generate()), Clock.fixed(NOW, ZoneOffset.UTC));
        long readersBefore = readers();

        assertThatThrownBy(() -> stranger.open(written.path(), Progress.NONE))
                .isInstanceOfSatisfying(
                        FerryException.class, e -> assertThat(e.reason()).isEqualTo(Reason.SIGNATURE_UNTRUSTED));
        assertThat(readers()).as("the thread that reads ahead is stopped").isEqualTo(readersBefore);
    }

    private static long readers() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("ferry-bundle-reader") && t.isAlive())
                .count();
    }

    /** A clock the test moves: the time between judging the head and reading the payload. */
    private static final class MovingClock extends Clock {
        volatile Instant now;

        MovingClock(Instant now) {
            this.now = now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
