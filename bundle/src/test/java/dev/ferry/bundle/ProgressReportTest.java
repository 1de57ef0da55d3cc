package dev.ferry.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.bundle.testing.TestBundles;
import dev.ferry.bundle.testing.TestClocks;
import dev.ferry.bundle.testing.TestKeys;
import dev.ferry.common.Progress;
import dev.ferry.keys.SigningKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a progress bar is told: the whole job's size first, then bytes that add up to it exactly. */
class ProgressReportTest {
    @TempDir
    Path dir;

    static final class Recording implements Progress {
        final AtomicLong total = new AtomicLong(-1);
        final AtomicLong done = new AtomicLong();

        @Override
        public void total(long bytes) {
            total.set(bytes);
        }

        @Override
        public void advance(long bytes) {
            done.addAndGet(bytes);
        }
    }

    @Test
    void writerReportsPayloadBytesAndVerifierReportsFileBytes() throws Exception {
        SigningKey key = TestKeys.generate();
        byte[] big = new byte[3 * 1024 * 1024 + 17];
        new Random(7).nextBytes(big);
        BundleSpec spec = TestBundles.bundle("bot", "1.0.0")
                .file("payload/runtime/blob", big, "0644")
                .file("payload/runtime/small", "hello", "0644")
                .spec(dir.resolve("sources"));
        long payloadBytes = BindingKey.BYTES;
        for (PayloadFile f : spec.files()) {
            payloadBytes += Files.size(f.source());
        }

        Recording writing = new Recording();
        WrittenBundle written = new BundleWriter(3, 1).write(spec, List.of(key), dir.resolve("out"), writing);
        assertThat(writing.total.get()).isEqualTo(payloadBytes);
        assertThat(writing.done.get()).isEqualTo(payloadBytes);

        Recording verifying = new Recording();
        new BundleVerifier(TestKeys.trust(key), TestClocks.insideWindow())
                .verify(written.path(), PayloadSink.discard(), verifying);
        assertThat(verifying.total.get()).isEqualTo(Files.size(written.path()));
        assertThat(verifying.done.get()).isEqualTo(Files.size(written.path()));
    }
}
