package dev.ferry.installer.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProcessCommandRunnerTest {
    private final ProcessCommandRunner runner = new ProcessCommandRunner();

    @Test
    void capturesExitCodeStdoutAndStderrSeparately() {
        CommandResult result =
                runner.run(List.of("sh", "-c", "echo to-out; echo to-err >&2; exit 3"), Duration.ofSeconds(10));

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.stdout()).isEqualTo("to-out\n");
        assertThat(result.stderr()).isEqualTo("to-err\n");
        assertThat(result.firstErrorLine()).isEqualTo("to-err");
    }

    @Test
    void passesArgumentsUnchangedWithoutAShell() {
        CommandResult result =
                runner.run(List.of("printf", "%s|", "a b", "$HOME", "'q\"", "100%"), Duration.ofSeconds(10));

        assertThat(result.stdout()).isEqualTo("a b|$HOME|'q\"|100%|");
    }

    @Test
    void givesTheProgramAnEmptyStdinSoItCannotHangOnTheTerminal() {
        CommandResult result = runner.run(List.of("cat"), Duration.ofSeconds(10));

        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout()).isEmpty();
    }

    @Test
    void reportsAProgramThatDoesNotExistAs127() {
        CommandResult result = runner.run(List.of("/nonexistent/systemctl", "--version"), Duration.ofSeconds(10));

        assertThat(result.exitCode()).isEqualTo(CommandResult.NOT_FOUND);
        assertThat(result.firstErrorLine()).startsWith("cannot run /nonexistent/systemctl");
    }

    @Test
    void killsTheProgramAndItsChildrenWhenTheTimeoutPasses() {
        long start = System.nanoTime();
        CommandResult result = runner.run(List.of("sh", "-c", "sleep 60 & echo $!; wait"), Duration.ofMillis(500));
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(result.exitCode()).isEqualTo(CommandResult.TIMED_OUT);
        assertThat(result.stderr()).contains("timed out");
        assertThat(took).isLessThan(Duration.ofSeconds(5));
        long child = Long.parseLong(result.stdout().strip());
        assertThat(ProcessHandle.of(child).filter(Processes::isRunning)).isEmpty();
    }

    @Test
    void keepsOnlyTheFirstBytesOfAHugeOutputAndStillLetsTheProgramFinish() {
        ProcessCommandRunner small = new ProcessCommandRunner(1000);

        CommandResult result = small.run(
                List.of("sh", "-c", "head -c 5000000 /dev/zero | tr '\\0' a; echo done >&2"), Duration.ofSeconds(30));

        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout())
                .startsWith("a".repeat(1000))
                .endsWith("[output truncated]\n")
                .hasSizeLessThan(1100);
        assertThat(result.stderr()).isEqualTo("done\n");
    }
}
