package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.common.ExitCode;
import dev.ferry.common.Reason;
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
        @Mixin
        VerboseOption verbose;

        @Option(names = "--fail")
        String fail;

        @Option(names = "--json")
        boolean json;

        @Override
        public Integer call() {
            if ("ferry".equals(fail)) {
                throw Reason.SIGNATURE_INVALID.failure("bundle.tar.zst: signature does not match");
            }
            if ("disk".equals(fail)) {
                throw new UncheckedIOException(
                        "uninstall of bot failed", new AccessDeniedException("/opt/ferry/bot/current"));
            }
            if ("write".equals(fail)) {
                throw new IllegalStateException(
                        "step failed",
                        FileFailure.of(
                                "write",
                                Path.of("/var/lib/ferry/bot/state.json"),
                                new FileSystemException(
                                        "/var/lib/ferry/bot/.state.json.tmp-1", null, "No space left on device")));
            }
            if ("escape".equals(fail)) {
                throw Reason.UNSAFE_FIELD.failure(
                        "manifest.json: name: \u001b[2J\u001b[32mall checks passed\u001b[0m\nforged line");
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
        return FerryCli.build(new Tool(), new PrintWriter(out, true), new PrintWriter(err, true))
                .execute(args);
    }

    @Test
    void ferryExceptionBecomesOneLineAndItsExitCode() {
        assertThat(run("--fail", "ferry")).isEqualTo(3);
        assertThat(err.toString().strip()).isEqualTo("tool: bundle.tar.zst: signature does not match");
    }

    @Test
    void withJsonAFailureIsOneErrorDocumentOnStdoutWithItsReason() throws Exception {
        assertThat(run("--fail", "ferry", "--json")).isEqualTo(3);
        JsonNode doc = Json.MAPPER.readTree(out.toString());
        assertThat(doc.size()).isEqualTo(1);
        assertThat(doc.path("error").path("exit").asInt()).isEqualTo(3);
        assertThat(doc.path("error").path("reason").asText()).isEqualTo("signature-invalid");
        assertThat(doc.path("error").path("message").asText()).isEqualTo("bundle.tar.zst: signature does not match");
        assertThat(err.toString().strip()).isEqualTo("tool: bundle.tar.zst: signature does not match");
    }

    @Test
    void withJsonABugAndABadFlagAreErrorDocumentsToo() throws Exception {
        assertThat(run("--fail", "bug", "--json")).isEqualTo(1);
        assertThat(Json.MAPPER
                        .readTree(out.toString())
                        .path("error")
                        .path("reason")
                        .asText())
                .isEqualTo("internal");
        out.getBuffer().setLength(0);
        assertThat(run("--nope", "--json")).isEqualTo(2);
        JsonNode usage = Json.MAPPER.readTree(out.toString()).path("error");
        assertThat(usage.path("reason").asText()).isEqualTo("usage");
        assertThat(usage.path("message").asText()).contains("--nope");
    }

    @Test
    void withoutJsonNothingGoesToStdout() {
        assertThat(run("--fail", "ferry")).isEqualTo(3);
        assertThat(out.toString()).isEmpty();
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
        assertThat(err.toString().strip().lines())
                .containsExactly(
                        "tool: uninstall of bot failed: permission denied (/opt/ferry/bot/current)",
                        "tool: cannot write /var/lib/ferry/bot/state.json: No space left on device (/var/lib/ferry/bot/.state.json.tmp-1)");
    }

    @Test
    void anErrorQuotingOutsideTextUnescapedIsStillOnePrintableLineOnTheTerminalAndInJson() throws Exception {
        assertThat(run("--fail", "escape", "--json")).isEqualTo(3);
        assertThat(err.toString().strip())
                .isEqualTo(
                        "tool: manifest.json: name: \\u001b[2J\\u001b[32mall checks passed\\u001b[0m\\u000aforged line");
        assertThat(Json.MAPPER
                        .readTree(out.toString())
                        .path("error")
                        .path("message")
                        .asText())
                .doesNotContain("\u001b", "\n")
                .contains("all checks passed");
        err.getBuffer().setLength(0);
        assertThat(run("--\u001b[2Jnope")).isEqualTo(ExitCode.USAGE.code());
        assertThat(err.toString()).contains("\\u001b[2Jnope").doesNotContain("\u001b");
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
        assertThat(FerryCli.quickVersion("tool", "--version"))
                .isEqualTo(out.toString().strip());
        assertThat(FerryCli.quickVersion("tool", "-V")).isEqualTo(out.toString().strip());
        assertThat(FerryCli.quickVersion("tool", "status", "--version")).isNull();
        assertThat(FerryCli.quickVersion("tool")).isNull();
    }
}
