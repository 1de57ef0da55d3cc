package dev.ferry.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.bundle.testing.TestBundles;
import dev.ferry.bundle.testing.TestKeys;
import dev.ferry.bundle.testing.TestKeys.TestKey;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A host where zstd-jni's native library cannot load (its temp folder mounted noexec, here: a library path that does
 * not exist) still verifies bundles, with the pure-Java decoder, to the same result.
 */
class PureJavaReadingTest {
    @TempDir
    Path dir;

    @Test
    void aJvmWithoutTheNativeLibraryVerifiesTheSameBundle() throws Exception {
        TestKey key = TestKeys.create(dir, "release");
        byte[] noise = new byte[3 << 20];
        new Random(1).nextBytes(noise);
        WrittenBundle written = TestBundles.bundle("agent", "1.0.0")
                .file("payload/runtime/bin/agent", "#!/bin/sh\n", "0755")
                .file("payload/runtime/lib/big.bin", noise, "0644")
                .file("payload/runtime/lib/text.txt", "line\n".repeat(100_000), "0644")
                .signedBy(key.signingKey())
                .writeTo(dir.resolve("out"));

        String out =
                child("-DZstdNativePath=" + dir.resolve("no-such-libzstd-jni.so"), written.path(), key.publicPem());

        assertThat(out)
                .contains(
                        "native=false",
                        "sha256=" + written.sha256(),
                        "files=" + written.manifest().files().size());
    }

    private String child(String option, Path bundle, Path publicPem) throws Exception {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = List.of(
                java.toString(),
                option,
                "-cp",
                classpath,
                PureJavaReadingChild.class.getName(),
                bundle.toString(),
                publicPem.toString(),
                TestBundles.CREATED_AT.plusSeconds(60).toString());
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(process.exitValue()).as(out).isZero();
        return out;
    }
}
