package dev.ferry.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sample agent against the real stand-in: it checks in, queues while the platform is down, and drains the
 * queue oldest first once the platform is back on the same port. The token never shows, not even in {@code ps}.
 */
@Tag("slow")
class StandInAgentTest {
    private static final String TOKEN = "eyJhbGciOiJIUzI1NiJ9.eyJqdGkiOiJhZ2VudC10ZXN0In0.bm90LWEtcmVhbC1zaWduYXR1cmU";
    private static final Path AGENT = Programs.REPO.resolve("profiles/examples/runtime/certinext-bot/bin/agent");
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void checksInQueuesWhileThePlatformIsDownAndDrainsTheQueueOldestFirstWhenItIsBack(@TempDir Path dir)
            throws Exception {
        Path host = Files.createDirectories(dir.resolve("host"));
        Path token = Files.writeString(host.resolve("token"), TOKEN + "\n");
        Path queue = host.resolve("data/queue");
        Path record = dir.resolve("checkins.jsonl");
        CommandLineWatch watch = CommandLineWatch.start(TOKEN);
        Process agent = null;
        try (StandInProcess first = StandInProcess.start(dir, 0, "--expect-token", token.toString())) {
            Path config = writeConfig(host, first.port, dir.resolve("ca.pem"), token);
            ProcessBuilder builder = new ProcessBuilder(AGENT.toString(), "--config", config.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(host.resolve("agent.stdout").toFile());
            builder.environment().put("AGENT_HEARTBEAT_SECONDS", "1");
            agent = builder.start();

            await("two check-ins recorded", () -> lines(record).size() >= 2);
            assertThat(JSON.readTree(lines(record).get(0)).get("event").asText())
                    .isEqualTo("start");
            assertThat(first.stopByClosingStdin()).isTrue();
            await(
                    "three check-ins queued while the platform is down",
                    () -> files(queue).size() >= 3);
            List<String> queued = files(queue);
            assertThat(queued).isSorted();

            int recordedBefore = lines(record).size();
            try (StandInProcess again = StandInProcess.start(dir, first.port, "--expect-token", token.toString())) {
                await("the queue drained", () -> files(queue).isEmpty());
                List<String> after =
                        lines(record).subList(recordedBefore, lines(record).size());
                assertThat(after.size()).isGreaterThanOrEqualTo(queued.size());
                List<String> sentTimes = new ArrayList<>();
                for (String line : after.subList(0, queued.size())) {
                    sentTimes.add(JSON.readTree(line).get("at").asText());
                }
                assertThat(sentTimes).as("oldest first").isSorted();
                assertThat(again.log()).contains("POST /v1/checkin -> 200 from certinext-bot 1.4.2");
            }
        } finally {
            if (agent != null) {
                agent.destroy();
                assertThat(agent.waitFor(10, TimeUnit.SECONDS)).isTrue();
            }
            watch.stop();
        }
        String agentLog = Files.readString(host.resolve("log/agent.log"));
        String errorLog = Files.readString(host.resolve("log/error.log"));
        assertThat(agentLog)
                .contains("platform not reached:", "checked in with https://localhost:")
                .endsWith("stop signal=TERM\n");
        assertThat(errorLog).contains("unreachable");
        assertThat(String.join("\n", lines(record)) + agentLog + errorLog).doesNotContain(TOKEN);
        assertThat(watch.seen.get())
                .as("a command line showing the token: " + watch.seen.get())
                .isNull();
        assertThat(watch.scans.get()).isTrue();
    }

    /** The agent.yaml an installer would render (SPEC section 3 variables), written by hand. */
    private static Path writeConfig(Path host, int port, Path ca, Path token) throws IOException {
        return Files.writeString(
                host.resolve("agent.yaml"),
                String.join(
                        "\n",
                        "agent:",
                        "  name: 'certinext-bot'",
                        "  version: '1.4.2'",
                        "paths:",
                        "  dataDir: '" + host.resolve("data") + "'",
                        "  logDir: '" + host.resolve("log") + "'",
                        "  tokenFile: '" + token + "'",
                        "platform:",
                        "  endpoint: 'https://localhost:" + port + "'",
                        "  healthPath: '/health'",
                        "  checkinPath: /v1/checkin",
                        "  caFile: '" + ca + "'",
                        ""));
    }

    private static List<String> lines(Path file) {
        try {
            return Files.exists(file) ? Files.readAllLines(file) : List.of();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static List<String> files(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".json"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            return List.of(); // a file renamed away while listing: look again
        }
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (!condition.getAsBoolean()) {
            assertThat(Instant.now()).as("waiting for: " + what).isBefore(deadline);
            Thread.sleep(50);
        }
    }

    /** Scans every process's command line (/proc/PID/cmdline) while the test runs, looking for the token. */
    private static final class CommandLineWatch {
        final AtomicReference<String> seen = new AtomicReference<>();
        final AtomicBoolean scans = new AtomicBoolean();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private Thread thread;

        static CommandLineWatch start(String secret) {
            CommandLineWatch watch = new CommandLineWatch();
            watch.thread = new Thread(
                    () -> {
                        while (watch.running.get()) {
                            try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
                                for (Path proc : (Iterable<Path>) procs::iterator) {
                                    try {
                                        String cmdline = new String(Files.readAllBytes(proc.resolve("cmdline")))
                                                .replace('\0', ' ');
                                        watch.scans.set(true);
                                        if (cmdline.contains(secret)) {
                                            watch.seen.compareAndSet(null, cmdline);
                                        }
                                    } catch (IOException | RuntimeException e) {
                                        // not a process, or it ended meanwhile
                                    }
                                }
                            } catch (IOException e) {
                                return;
                            }
                        }
                    },
                    "cmdline-watch");
            watch.thread.setDaemon(true);
            watch.thread.start();
            return watch;
        }

        void stop() throws InterruptedException {
            running.set(false);
            thread.join(5000);
        }
    }
}
