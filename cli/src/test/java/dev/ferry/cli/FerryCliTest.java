package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.common.ExitCode;
import dev.ferry.common.FerryException;
import dev.ferry.common.files.FileFailure;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

class FerryCliTest {
    @Command(name = "tool", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class)
    static class Tool implements Callable<Integer> {
        @Mixin VerboseOption verbose;
        @Option(names = "--fail") String fail;

        @Override
        public Integer call() {
            if ("ferry".equals(fail)) {
                throw FerryException.verification("bundle.tar.zst: signature does not match");
            }
            if ("disk".equals(fail)) {
                throw new UncheckedIOException("uninstall of bot failed", new AccessDeniedException("/opt/ferry/bot/current"));
            }
            if ("write".equals(fail)) {
                throw new IllegalStateException("step failed", FileFailure.of("write", Path.of("/var/lib/ferry/bot/state.json"),
                        new FileSystemException("/var/lib/ferry/bot/.state.json.tmp-1", null, "No space left on device")));
            }
            if ("bug".equals(fail)) {
                throw new IllegalStateException("boom");
            }
            return 0;
        }
    }

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return FerryCli.build(new Tool(), new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
    }

    @Test
    void ferryExceptionBecomesOneLineAndItsExitCode() {
        assertThat(run("--fail", "ferry")).isEqualTo(3);
        assertThat(err.toString().strip()).isEqualTo("tool: bundle.tar.zst: signature does not match");
    }

    @Test
    void bugIsExitOneWithoutStackTraceUnlessVerbose() {
        assertThat(run("--fail", "bug")).isEqualTo(1);
        assertThat(err.toString()).contains("internal error").doesNotContain("\tat ");
        assertThat(run("--fail", "bug", "--verbose")).isEqualTo(1);
        assertThat(err.toString()).contains("\tat ");
    }

    @Test
    void aRefusedFileOperationIsOneLineNamingThePathAndTheCauseNeverAnInternalError() {
        assertThat(run("--fail", "disk")).isEqualTo(ExitCode.PREFLIGHT.code());
        assertThat(run("--fail", "write")).isEqualTo(ExitCode.PREFLIGHT.code());
        assertThat(err.toString().strip().lines()).containsExactly(
                "tool: uninstall of bot failed: permission denied (/opt/ferry/bot/current)",
                "tool: cannot write /var/lib/ferry/bot/state.json: No space left on device (/var/lib/ferry/bot/.state.json.tmp-1)");
    }

    @Test
    void badFlagIsUsageError() {
        assertThat(run("--nope")).isEqualTo(ExitCode.USAGE.code());
        assertThat(err.toString()).contains("Unknown option").contains("--help");
    }

    @Test
    void helpListsTheExitCodes() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("Exit codes:").contains("another install is in progress");
    }

    @Test
    void versionIsStampedByTheBuild() {
        assertThat(run("--version")).isZero();
        assertThat(out.toString()).startsWith("tool (Ferry) ").doesNotContain("unknown");
    }

    @Test
    void versionAloneIsAnsweredWithoutTheModelAndSaysTheSame() {
        assertThat(run("--version")).isZero();
        assertThat(FerryCli.quickVersion(new Tool(), "--version")).isEqualTo(out.toString().strip());
        assertThat(FerryCli.quickVersion(new Tool(), "-V")).isEqualTo(out.toString().strip());
        assertThat(FerryCli.quickVersion(new Tool(), "status", "--version")).isNull();
        assertThat(FerryCli.quickVersion(new Tool())).isNull();
    }
}
