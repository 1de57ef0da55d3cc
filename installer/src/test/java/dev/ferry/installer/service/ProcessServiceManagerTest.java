package dev.ferry.installer.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** Real agents: small sh scripts started, inspected through /proc and stopped for real. */
@EnabledOnOs(OS.LINUX)
class ProcessServiceManagerTest {
    private static final String AGENT = """
            #!/bin/sh
            trap 'echo "agent stopping"; kill $child 2>/dev/null; exit 0' TERM
            echo "agent started $*"
            echo "agent warming up" >&2
            sleep 600 &
            child=$!
            wait $child
            """;

    @TempDir
    Path dir;

    private final List<ProcessHandle> toKill = new ArrayList<>();

    @AfterEach
    void killEverythingTheTestStarted() throws Exception {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path pid : files.filter(f -> f.toString().endsWith(".pid")).toList()) {
                ProcessHandle.of(Long.parseLong(Files.readString(pid).strip())).ifPresent(toKill::add);
            }
        }
        for (ProcessHandle process : toKill) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    @Test
    void startsTheAgentDetachedInItsOwnSessionWithItsOutputInTheLogs() throws Exception {
        ServiceSpec spec = spec(script("agent.sh", AGENT), "--config", "my file.yaml");
        ProcessServiceManager manager = new ProcessServiceManager();
        manager.install(spec);

        manager.restart(spec);

        long pid =
                Long.parseLong(Files.readString(dir.resolve("state/agent.pid")).strip());
        ProcessHandle agent = ProcessHandle.of(pid).orElseThrow();
        assertThat(agent.isAlive()).isTrue();
        assertThat(sessionOf(pid)).as("session id").isEqualTo(pid);
        assertThat(Files.readSymbolicLink(Path.of("/proc/" + pid + "/fd/0"))).isEqualTo(Path.of("/dev/null"));
        assertThat(Files.readSymbolicLink(Path.of("/proc/" + pid + "/cwd")))
                .isEqualTo(dir.resolve("current").toRealPath());
        awaitText(dir.resolve("log/agent.log"), "agent started --config my file.yaml\n");
        awaitText(dir.resolve("log/error.log"), "agent warming up");
        assertThat(manager.state(spec)).isEqualTo(ServiceState.RUNNING);
    }

    @Test
    void aLaterInstallerRunStopsTheAgentAndEverythingItStartedWithTerm() throws Exception {
        ServiceSpec spec = spec(script("agent.sh", AGENT));
        new ProcessServiceManager().install(spec);
        new ProcessServiceManager().restart(spec);
        ProcessHandle agent = ProcessHandle.of(pid(spec)).orElseThrow();
        awaitText(dir.resolve("log/agent.log"), "agent started");
        List<ProcessHandle> children = agent.descendants().toList();
        assertThat(children).isNotEmpty();

        ProcessServiceManager nextRun = new ProcessServiceManager();
        nextRun.stop(spec);

        assertThat(agent.isAlive()).isFalse();
        assertThat(children).noneMatch(Processes::isRunning);
        assertThat(dir.resolve("state/agent.pid")).doesNotExist();
        assertThat(Files.readString(dir.resolve("log/agent.log"))).contains("agent stopping");
        assertThat(nextRun.state(spec)).isEqualTo(ServiceState.STOPPED);
    }

    @Test
    void anAgentThatIgnoresTermIsKilledAfterTheGraceTime() throws Exception {
        ServiceSpec spec =
                spec(script("stubborn.sh", "#!/bin/sh\ntrap '' TERM\necho up\nwhile :; do sleep 0.1; done\n"));
        ProcessServiceManager manager = new ProcessServiceManager(Duration.ofMillis(300), Duration.ofMillis(500));
        manager.restart(spec);
        ProcessHandle agent = ProcessHandle.of(pid(spec)).orElseThrow();

        manager.stop(spec);

        assertThat(agent.isAlive()).isFalse();
        assertThat(manager.state(spec)).isEqualTo(ServiceState.STOPPED);
    }

    @Test
    void restartReplacesTheRunningAgent() throws Exception {
        ServiceSpec spec = spec(script("agent.sh", AGENT));
        ProcessServiceManager manager = new ProcessServiceManager();
        manager.restart(spec);
        ProcessHandle first = ProcessHandle.of(pid(spec)).orElseThrow();

        manager.restart(spec);

        assertThat(first.isAlive()).isFalse();
        assertThat(pid(spec)).isNotEqualTo(first.pid());
        assertThat(manager.state(spec)).isEqualTo(ServiceState.RUNNING);
    }

    @Test
    void anAgentThatExitsAtOnceFailsTheRestartNamingErrorLog() throws Exception {
        ServiceSpec spec = spec(script("broken.sh", "#!/bin/sh\necho 'config missing' >&2\nexit 3\n"));
        ProcessServiceManager manager = new ProcessServiceManager();
        manager.install(spec);

        assertThatThrownBy(() -> manager.restart(spec))
                .isInstanceOf(ServiceException.class)
                .hasMessage("the agent " + spec.exec().get(0) + " exited at once with code 3: see "
                        + dir.resolve("log/error.log"));
        assertThat(manager.state(spec)).isEqualTo(ServiceState.FAILED);
        assertThat(dir.resolve("log/error.log")).content().contains("config missing");
    }

    @Test
    void statesFollowTheRegistrationAndThePidFile() throws Exception {
        ServiceSpec spec = spec(script("agent.sh", AGENT));
        ProcessServiceManager manager = new ProcessServiceManager();
        assertThat(manager.state(spec)).isEqualTo(ServiceState.NOT_INSTALLED);

        manager.install(spec);
        assertThat(manager.state(spec)).isEqualTo(ServiceState.STOPPED);
        assertThat(dir.resolve("state/agent.service.json"))
                .content()
                .contains(spec.exec().get(0));

        manager.uninstall(spec);
        assertThat(manager.state(spec)).isEqualTo(ServiceState.NOT_INSTALLED);
        assertThat(dir.resolve("state")).isEmptyDirectory();
    }

    @Test
    void aReusedPidIsNeitherReportedRunningNorKilled() throws Exception {
        ServiceSpec spec = spec(script("agent.sh", AGENT));
        ProcessServiceManager manager = new ProcessServiceManager();
        manager.install(spec);
        Process stranger = new ProcessBuilder("sleep", "600").start();
        toKill.add(stranger.toHandle());
        Files.writeString(dir.resolve("state/agent.pid"), stranger.pid() + "\n");

        assertThat(manager.state(spec)).isEqualTo(ServiceState.FAILED);
        manager.stop(spec);

        assertThat(stranger.isAlive()).isTrue();
        assertThat(manager.state(spec)).isEqualTo(ServiceState.STOPPED);
    }

    private ServiceSpec spec(Path agent, String... args) throws IOException {
        Files.createDirectories(dir.resolve("current"));
        List<String> exec = new ArrayList<>(List.of(agent.toString()));
        exec.addAll(List.of(args));
        return new ServiceSpec(
                "agent",
                null,
                exec,
                dir.resolve("current"),
                dir.resolve("state"),
                List.of(dir.resolve("data"), dir.resolve("log")),
                dir.resolve("log"));
    }

    private Path script(String name, String text) throws IOException {
        Path script = dir.resolve("bin").resolve(name);
        Files.createDirectories(script.getParent());
        Files.writeString(script, text);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return script;
    }

    private long pid(ServiceSpec spec) throws IOException {
        return Long.parseLong(
                Files.readString(spec.stateDir().resolve("agent.pid")).strip());
    }

    /** Field 6 of /proc/PID/stat, after the parenthesised command name. */
    private static long sessionOf(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[3]);
    }

    private static void awaitText(Path log, String line) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(log) && Files.readString(log).contains(line)) {
                return;
            }
            Thread.sleep(50);
        }
        assertThat(Optional.of(log)
                        .filter(Files::exists)
                        .map(ProcessServiceManagerTest::read)
                        .orElse("<missing>"))
                .as(log.toString())
                .contains(line);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "<" + e + ">";
        }
    }
}
