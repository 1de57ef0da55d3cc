package dev.ferry.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The stand-in as the demo runs it: java -jar, its files, and the three ways it stops by itself. */
@Tag("slow")
class StandInProcessTest {
    @Test
    void itServesHealthWithItsOwnCaAndStopsWhenStdinCloses(@TempDir Path dir) throws Exception {
        try (StandInProcess standin = StandInProcess.start(dir, 0)) {
            assertThat(Files.readString(dir.resolve("ca.pem"))).startsWith("-----BEGIN CERTIFICATE-----");
            Programs.Run health = Programs.run(
                    Map.of(),
                    "curl",
                    "-sS",
                    "--cacert",
                    dir.resolve("ca.pem").toString(),
                    "https://localhost:" + standin.port + "/health");
            assertThat(health.exitCode()).as(health.toString()).isZero();
            assertThat(health.stdout()).contains("\"status\":\"ok\"");
            Programs.Run untrusted =
                    Programs.run(Map.of(), "curl", "-sS", "https://127.0.0.1:" + standin.port + "/health");
            assertThat(untrusted.exitCode()).as("without its CA, TLS fails").isEqualTo(60);

            assertThat(standin.stopByClosingStdin()).isTrue();
            assertThat(standin.process.exitValue()).isZero();
            assertThat(standin.log()).contains("stopping (stdin closed)");
        }
    }

    @Test
    void itStopsOnSigterm(@TempDir Path dir) throws Exception {
        try (StandInProcess standin = StandInProcess.start(dir, 0)) {
            standin.process.toHandle().destroy(); // SIGTERM, with its stdin still open
            assertThat(standin.process.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(standin.log()).contains("stopping (terminated)");
        }
    }

    @Test
    void itStopsAfterMaxSecondsEvenWithStdinOpen(@TempDir Path dir) throws Exception {
        try (StandInProcess standin = StandInProcess.start(dir, 0, "--max-seconds", "2")) {
            assertThat(standin.process.waitFor(15, TimeUnit.SECONDS)).isTrue();
            assertThat(standin.process.exitValue()).isZero();
            assertThat(standin.log()).contains("stopping (--max-seconds 2 reached)");
        }
    }
}
