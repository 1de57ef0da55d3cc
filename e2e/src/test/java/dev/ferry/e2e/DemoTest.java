package dev.ferry.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
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

    /**
     * The demo runs on a pseudo-terminal ({@code script -qec}), as in a newcomer's terminal: there colour is on unless
     * NO_COLOR is set. Both runs go side by side, each in its own temp dir; only the one with NO_COLOR may be plain.
     */
    @Test
    void theDemoRunsTheWholeJobAndLeavesNothingRunningNorOnDisk(@TempDir Path plainTmp, @TempDir Path colourTmp)
            throws Exception {
        long start = System.nanoTime();
        CompletableFuture<Programs.Run> colour = CompletableFuture.supplyAsync(() -> onTerminal(colourTmp, false));
        Programs.Run plain = onTerminal(plainTmp, true);
        long seconds = (System.nanoTime() - start) / 1_000_000_000;

        assertTellsTheWholeStoryAndCleansUp(plain, plainTmp);
        assertThat(plain.stdout() + plain.stderr())
                .as("NO_COLOR is set: no escape codes")
                .doesNotContain("\u001b[");
        assertThat(seconds).as("about a minute").isLessThan(150);

        Programs.Run coloured = colour.get(5, TimeUnit.MINUTES);
        assertTellsTheWholeStoryAndCleansUp(coloured, colourTmp);
        assertThat(coloured.stdout())
                .as("a terminal without NO_COLOR: bold headings")
                .contains("\u001b[1m== Step 1: Create a signing key");
    }

    /** ./demo.sh under {@code script -qec} (a pseudo-terminal), with or without NO_COLOR. */
    private static Programs.Run onTerminal(Path tmp, boolean noColor) {
        // TMPDIR points the demo's mktemp at a folder of this test's own, so "its temp dir is gone" is exact.
        // Programs.run sets NO_COLOR=1 for every program; env -u takes it away again for the coloured run.
        List<String> command = new ArrayList<>(noColor ? List.of() : List.of("env", "-u", "NO_COLOR"));
        command.addAll(
                List.of("script", "-qec", Programs.REPO.resolve("demo.sh").toString(), "/dev/null"));
        return Programs.run(Map.of("TMPDIR", tmp.toString()), Programs.REPO, command.toArray(String[]::new));
    }

    private static void assertTellsTheWholeStoryAndCleansUp(Programs.Run run, Path tmp) throws IOException {
        assertThat(run.exitCode()).as(run.toString()).isZero();
        for (String heading : HEADINGS) {
            assertThat(run.stdout()).as(run.toString()).containsPattern("== Step \\d+: " + Pattern.quote(heading));
        }
        assertThat(run.stdout())
                .containsPattern("\\{\"receivedAt\":\"[^\"]+\",\"name\":\"certinext-bot\",\"version\":\"1.4.2\"");
        try (Stream<Path> left = Files.list(tmp)) {
            assertThat(left).as("the demo's temp dir is removed").isEmpty();
        }
        assertThat(pgrep("standin.jar.*" + tmp)).as("stand-in still running").isEmpty();
        assertThat(pgrep(tmp + ".*/runtime/bin/agent"))
                .as("agent still running")
                .isEmpty();
    }

    private static String pgrep(String pattern) {
        return Programs.run(Map.of(), "pgrep", "-af", pattern).stdout().strip();
    }
}
