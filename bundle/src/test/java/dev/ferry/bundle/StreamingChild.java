package dev.ferry.bundle;

import dev.ferry.bundle.testing.TestBundles;
import dev.ferry.bundle.testing.TestKeys;
import dev.ferry.keys.SigningKey;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Random;

/**
 * Run in a child JVM with a small heap by {@link LargeBundleStreamingTest}: writes a bundle from one large file
 * (sparse, with a few random blocks) and verifies it with a hashing sink. Any buffering of a payload file in
 * memory ends in OutOfMemoryError and a non-zero exit. Prints {@code ok <bundle size> <payload sha256>}.
 */
public final class StreamingChild {
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        long size = Long.parseLong(args[1]);
        Path input = dir.resolve("large.bin");
        generate(input, size);
        SigningKey key = TestKeys.generate();
        WrittenBundle written = TestBundles.bundle("large", "1.0.0")
                .file("payload/runtime/large.bin", input, "0644")
                .signedBy(key)
                .level(1)
                .workers(2)
                .writeTo(dir.resolve("out"));
        MessageDigest seen = MessageDigest.getInstance("SHA-256");
        long[] bytes = {0};
        Clock clock = Clock.offset(
                Clock.systemUTC(),
                Duration.between(Clock.systemUTC().instant(), TestBundles.CREATED_AT.plusSeconds(60)));
        VerifiedBundle verified = new BundleVerifier(TestKeys.trust(key), clock).verify(written.path(), (entry, in) -> {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                seen.update(buffer, 0, n);
                bytes[0] += n;
            }
        });
        long heapMax = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getMax();
        String payloadSha = HexFormat.of().formatHex(seen.digest());
        if (bytes[0] < size || !verified.sha256().equals(written.sha256())) {
            throw new AssertionError("verify did not see every byte");
        }
        System.out.println("ok " + written.size() + " " + payloadSha + " heapMax=" + heapMax);
        Files.delete(input);
    }

    /** A file of {@code size} bytes without writing them all: zeros with random 1 MiB blocks every 256 MiB. */
    static void generate(Path file, long size) throws IOException {
        byte[] block = new byte[1 << 20];
        Random random = new Random(42);
        try (RandomAccessFile out = new RandomAccessFile(file.toFile(), "rw")) {
            out.setLength(size);
            for (long at = 0; at + block.length <= size; at += 256L << 20) {
                random.nextBytes(block);
                out.seek(at);
                out.write(block);
            }
        }
    }
}
