package dev.ferry.bundle;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.ferry.bundle.testing.TestKeys;
import dev.ferry.keys.SigningKey;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Measures write and verify throughput on a generated mixed input (run by {@code bundle/throughput.sh}): a third
 * incompressible (like jars and images), half text-like (configs, scripts, logs), the rest zeros, over files from
 * 1 KiB to 32 MiB. Usage: {@code BundleThroughput DIR [MB] [LEVEL] [WORKERS]}.
 */
public final class BundleThroughput {
    public static void main(String[] args) throws IOException {
        Path dir = Files.createDirectories(Path.of(args[0]));
        long megabytes = args.length > 1 ? Long.parseLong(args[1]) : 300;
        int level = args.length > 2 ? Integer.parseInt(args[2]) : BundleWriter.DEFAULT_LEVEL;
        int workers = args.length > 3
                ? Integer.parseInt(args[3])
                : Math.max(1, Runtime.getRuntime().availableProcessors());
        List<PayloadFile> files = generate(dir.resolve("input"), megabytes << 20);
        long inputBytes = 0;
        for (PayloadFile f : files) {
            inputBytes += Files.size(f.source());
        }
        Instant created = Instant.parse("2026-11-22T10:00:00Z");
        BundleSpec spec = new BundleSpec(
                "throughput",
                "1.0.0",
                1,
                created,
                created.plus(Duration.ofDays(90)),
                JsonNodeFactory.instance.objectNode(),
                null,
                files);
        SigningKey key = TestKeys.generate();

        long t0 = System.nanoTime();
        WrittenBundle written = new BundleWriter(level, workers).write(spec, List.of(key), dir.resolve("out"));
        long t1 = System.nanoTime();
        new BundleVerifier(TestKeys.trust(key), Clock.fixed(created.plusSeconds(60), ZoneOffset.UTC))
                .verify(written.path(), PayloadSink.discard());
        long t2 = System.nanoTime();

        double mb = inputBytes / 1e6;
        System.out.printf(
                "input %.1f MB in %d files; bundle %.1f MB (level %d, %d workers)%n",
                mb, files.size(), written.size() / 1e6, level, workers);
        System.out.printf("write  %.1f s  %.0f MB/s%n", (t1 - t0) / 1e9, mb / ((t1 - t0) / 1e9));
        System.out.printf("verify %.1f s  %.0f MB/s%n", (t2 - t1) / 1e9, mb / ((t2 - t1) / 1e9));
    }

    private static List<PayloadFile> generate(Path dir, long total) throws IOException {
        Files.createDirectories(dir);
        Random random = new Random(2026);
        List<PayloadFile> files = new ArrayList<>();
        byte[] buffer = new byte[1 << 16];
        long written = 0;
        for (int i = 0; written < total; i++) {
            long size = Math.min(total - written, 1024L << random.nextInt(16));
            int kind = i % 6 < 2 ? 0 : i % 6 < 5 ? 1 : 2;
            Path file = dir.resolve(String.format("f%05d", i));
            try (OutputStream out = Files.newOutputStream(file)) {
                for (long left = size; left > 0; ) {
                    int n = (int) Math.min(left, buffer.length);
                    fill(buffer, n, kind, random, i);
                    out.write(buffer, 0, n);
                    left -= n;
                }
            }
            files.add(new PayloadFile(
                    "payload/runtime/" + (kind == 0 ? "lib/" : kind == 1 ? "etc/" : "data/") + file.getFileName(),
                    file,
                    "0644"));
            written += size;
        }
        return files;
    }

    private static void fill(byte[] buffer, int n, int kind, Random random, int i) {
        switch (kind) {
            case 0 -> random.nextBytes(buffer);
            case 1 -> {
                int at = 0;
                while (at < n) {
                    byte[] line = ("2026-11-22T10:00:" + random.nextInt(60) + "Z INFO worker-" + random.nextInt(16)
                                    + " handled request " + random.nextInt(100000) + " in " + random.nextInt(900)
                                    + " ms file " + i + "\n")
                            .getBytes(StandardCharsets.US_ASCII);
                    int len = Math.min(line.length, n - at);
                    System.arraycopy(line, 0, buffer, at, len);
                    at += len;
                }
            }
            default -> Arrays.fill(buffer, 0, n, (byte) 0);
        }
    }
}
