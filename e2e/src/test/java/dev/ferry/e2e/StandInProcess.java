package dev.ferry.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** {@code java -jar standin/target/standin.jar} as a process of the test, stopped the way the demo stops it. */
final class StandInProcess implements AutoCloseable {
    static final Path JAR = Programs.REPO.resolve("standin/target/standin.jar");

    final Process process;
    final Path dir;
    final int port;

    private StandInProcess(Process process, Path dir, int port) {
        this.process = process;
        this.dir = dir;
        this.port = port;
    }

    /** Starts it with its files in {@code dir} (port, ca.pem, checkins.jsonl, standin.log) and waits until it serves. */
    static StandInProcess start(Path dir, int port, String... extra) throws Exception {
        Files.deleteIfExists(dir.resolve("port"));
        List<String> command = new ArrayList<>(List.of(
                "java",
                "-jar",
                JAR.toString(),
                "--port",
                String.valueOf(port),
                "--port-file",
                dir.resolve("port").toString(),
                "--ca-out",
                dir.resolve("ca.pem").toString(),
                "--record",
                dir.resolve("checkins.jsonl").toString()));
        command.addAll(List.of(extra));
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(
                        dir.resolve("standin.log").toFile()))
                .start();
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (!Files.exists(dir.resolve("port"))) {
            if (!process.isAlive() || Instant.now().isAfter(deadline)) {
                process.destroyForcibly();
                throw new AssertionError(
                        "the stand-in did not start:\n" + Files.readString(dir.resolve("standin.log")));
            }
            Thread.sleep(50);
        }
        return new StandInProcess(
                process,
                dir,
                Integer.parseInt(Files.readString(dir.resolve("port")).strip()));
    }

    /** Closes its stdin, which is how the demo stops it; true when it exited by itself within 10 s. */
    boolean stopByClosingStdin() throws IOException, InterruptedException {
        process.getOutputStream().close();
        return process.waitFor(10, TimeUnit.SECONDS);
    }

    String log() throws IOException {
        return Files.readString(dir.resolve("standin.log"));
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
