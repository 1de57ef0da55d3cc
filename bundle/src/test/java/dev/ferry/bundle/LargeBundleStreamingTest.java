package dev.ferry.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SPEC section 9: memory does not grow with bundle size. A 2 GiB input is written and verified in a child JVM
 * limited to a 64 MiB heap, where holding the file (or any large part of it) in memory cannot succeed.
 */
@Tag("slow")
class LargeBundleStreamingTest {
    static final long TWO_GIB = 2L << 30;

    @TempDir
    Path dir;

    @Test
    void twoGibFileIsWrittenAndVerifiedInA64MibHeap() throws Exception {
        String out = runChild("-Xmx64m", TWO_GIB);
        assertThat(out).startsWith("ok ");
    }

    @Test
    void theChildHeapIsSmallEnoughToCatchBuffering() throws Exception {
        // Control: the same child cannot hold even a 128 MiB file in its 64 MiB heap, so a pass above means streaming.
        Process process = child("-Xmx64m", "dev.ferry.bundle.StreamingChildThatBuffers", 128L << 20);
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(process.exitValue()).isNotZero();
        assertThat(out).contains("OutOfMemoryError");
    }

    private String runChild(String heap, long size) throws Exception {
        Process process = child(heap, StreamingChild.class.getName(), size);
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(10, TimeUnit.MINUTES)).isTrue();
        assertThat(process.exitValue()).as(out).isZero();
        return out;
    }

    private Process child(String heap, String mainClass, long size) throws Exception {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command =
                List.of(java.toString(), heap, "-cp", classpath, mainClass, dir.toString(), Long.toString(size));
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }
}
