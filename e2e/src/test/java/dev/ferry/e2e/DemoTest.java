package dev.ferry.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./demo.sh} as a newcomer runs it: it tells the whole story, exits 0 by itself and leaves nothing behind. */
@Tag("slow")
class DemoTest {
    private static final String[] HEADINGS = {
        "Create a signing key",
        "Make a registration token valid for a week",
        "Start the platform stand-in",
        "Write the demo profile",
        "Build the signed bundle",
        "Check the bundle as the host will",
        "Install it on the isolated host",
        "Wait for the agent's first check-in",
        "Run the connectivity self-tests",
        "Show the installed state",
        "Show the check-in as the platform recorded it",
        "Uninstall",
        "Stop the stand-in and clean up",
    };

    @Test
    void theDemoRunsTheWholeJobAndLeavesNothingRunningNorOnDisk(@TempDir Path tmp) throws IOException {
        long start = System.nanoTime();
        // TMPDIR points the demo's mktemp at a folder of this test's own, so "its temp dir is gone" is exact.
        Programs.Run run = Programs.run(Map.of("TMPDIR", tmp.toString()), Programs.REPO,
                Programs.REPO.resolve("demo.sh").toString());
        long seconds = (System.nanoTime() - start) / 1_000_000_000;

        assertThat(run.exitCode()).as(run.toString()).isZero();
        for (String heading : HEADINGS) {
            assertThat(run.stdout()).as(run.toString()).containsPattern("== Step \\d+: " + java.util.regex.Pattern.quote(heading));
        }
        assertThat(run.stdout()).containsPattern("\\{\"receivedAt\":\"[^\"]+\",\"name\":\"certinext-bot\",\"version\":\"1.4.2\"");
        assertThat(run.stdout() + run.stderr()).as("NO_COLOR is set: no escape codes").doesNotContain("\u001b[");
        assertThat(seconds).as("about a minute").isLessThan(150);

        try (Stream<Path> left = Files.list(tmp)) {
            assertThat(left).as("the demo's temp dir is removed").isEmpty();
        }
        assertThat(pgrep("standin.jar.*" + tmp)).as("stand-in still running").isEmpty();
        assertThat(pgrep(tmp + ".*/runtime/bin/agent")).as("agent still running").isEmpty();
    }

    private static String pgrep(String pattern) {
        return Programs.run(Map.of(), "pgrep", "-af", pattern).stdout().strip();
    }
}
