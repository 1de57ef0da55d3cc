package dev.ferry.installer.transaction;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.common.Sanitizer;
import dev.ferry.installer.host.HostPaths;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 19 item 8: a log line that quotes a proxy's answer or a bundle's field cannot replay escape sequences. */
class InstallLogPrintableTest {
    @TempDir
    Path root;

    @Test
    void messagesAndNotesQuotingOutsideTextAreWrittenPrintable() throws Exception {
        HostPaths paths = new HostPaths(root, "sample-bot");
        String answer =
                "proxy answered 'HTTP/1.1 407 \u001b[2J\u001b[H\u001b[32mall checks passed\u001b[0m'\u009b2J\u202e";
        InstallLog.append(
                paths,
                new InstallLog.Line(
                        Instant.parse("2026-11-22T10:00:00Z"),
                        "install",
                        "sample-bot",
                        "1.0.0",
                        1L,
                        null,
                        List.of(),
                        "rolled-back",
                        7,
                        5,
                        answer,
                        List.of("token id tok\u001b]0;owned\u0007")));

        String log = Files.readString(paths.installLog(), StandardCharsets.UTF_8);
        assertThat(log.lines())
                .hasSize(1)
                .allSatisfy(
                        line -> assertThat(Sanitizer.isPrintable(line)).as(line).isTrue());
        // Still readable as what was sent: escaped, not dropped.
        assertThat(log)
                .contains("\\\\u001b[2J")
                .contains("all checks passed")
                .contains("\\\\u202e")
                .contains("tok\\\\u001b]0;owned");
    }
}
