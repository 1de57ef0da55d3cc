package dev.ferry.installer.service;

import dev.ferry.installer.check.Check;
import dev.ferry.installer.host.OperatingSystem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The agent as a plain detached process, for hosts and containers without a service manager. It outlives the
 * installer: on Linux it runs in its own session ({@code setsid}), reads /dev/null and appends its output to
 * {@code agent.log} and {@code error.log}. {@code stateDir/NAME.pid} names it, so a later installer run can stop
 * it; {@code stateDir/NAME.service.json} marks it as installed. Nothing restarts it when it dies: {@code status}
 * reports FAILED.
 */
public final class ProcessServiceManager implements ServiceManager {
    private final Duration settle;
    private final Duration stopGrace;
    private final Optional<Path> setsid;

    public ProcessServiceManager() {
        this(Duration.ofMillis(300), Duration.ofSeconds(10));
    }

    /**
     * @param settle how long a freshly started agent must stay up to count as started
     * @param stopGrace how long a stopped agent gets between TERM and KILL
     */
    ProcessServiceManager(Duration settle, Duration stopGrace) {
        this.settle = settle;
        this.stopGrace = stopGrace;
        this.setsid = OperatingSystem.current().isLinux()
                ? Stream.of("/usr/bin/setsid", "/bin/setsid")
                        .map(Path::of)
                        .filter(Files::isExecutable)
                        .findFirst()
                : Optional.empty();
    }

    @Override
    public ServiceManagerKind kind() {
        return ServiceManagerKind.PROCESS;
    }

    @Override
    public Check check() {
        return Check.pass(
                "service-manager",
                "process: the agent runs detached with a pid file"
                        + (setsid.isPresent() ? ", in its own session (setsid)" : ""),
                0);
    }

    public Path pidFile(ServiceSpec spec) {
        return spec.stateDir().resolve(ServiceNames.check(spec.name()) + ".pid");
    }

    public Path registrationFile(ServiceSpec spec) {
        return spec.stateDir().resolve(ServiceNames.check(spec.name()) + ".service.json");
    }

    @Override
    public void install(ServiceSpec spec) {
        List<String> started = ProcessRegistration.read(registrationFile(spec))
                .map(ProcessRegistration::startedExec)
                .orElse(null);
        ProcessRegistration.of(spec, started).write(registrationFile(spec));
    }

    @Override
    public void restart(ServiceSpec spec) {
        stop(spec);
        Process process = launch(spec);
        ServiceFiles.write(pidFile(spec), process.pid() + "\n");
        ProcessRegistration.of(spec, spec.exec()).write(registrationFile(spec));
        try {
            if (process.waitFor(settle.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new ServiceException("the agent " + spec.exec().get(0) + " exited at once with code "
                        + process.exitValue() + ": see " + spec.logDir().resolve("error.log"));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Process launch(ServiceSpec spec) {
        Path log = spec.logDir();
        try {
            // Created 0640 by the installer, never through a planted link: the JVM would create them with the umask.
            ServiceFiles.createLog(log.resolve("agent.log"));
            ServiceFiles.createLog(log.resolve("error.log"));
            return new ProcessBuilder(Stream.concat(setsid.map(Path::toString).stream(), spec.exec().stream())
                            .toList())
                    .directory(spec.workingDir().toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(NullDevice.file()))
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(
                            log.resolve("agent.log").toFile()))
                    .redirectError(ProcessBuilder.Redirect.appendTo(
                            log.resolve("error.log").toFile()))
                    .start();
        } catch (IOException e) {
            throw new ServiceException("cannot start the agent " + spec.exec().get(0) + ": " + e.getMessage(), e);
        }
    }

    /** TERM to the agent and everything it started (as systemd does), KILL to what is left after the grace time. */
    @Override
    public void stop(ServiceSpec spec) {
        running(spec).ifPresent(agent -> {
            List<ProcessHandle> tree =
                    Stream.concat(Stream.of(agent), agent.descendants()).toList();
            tree.forEach(ProcessHandle::destroy);
            if (!Processes.awaitExit(tree, stopGrace)) {
                tree.forEach(ProcessHandle::destroyForcibly);
                if (!Processes.awaitExit(tree, Duration.ofSeconds(5))) {
                    throw new ServiceException("the agent (pid " + agent.pid() + ") did not stop, even after KILL");
                }
            }
        });
        ServiceFiles.delete(pidFile(spec));
    }

    @Override
    public ServiceState state(ServiceSpec spec) {
        if (!Files.exists(pidFile(spec))) {
            return Files.exists(registrationFile(spec)) ? ServiceState.STOPPED : ServiceState.NOT_INSTALLED;
        }
        return running(spec).isPresent() ? ServiceState.RUNNING : ServiceState.FAILED;
    }

    @Override
    public void uninstall(ServiceSpec spec) {
        stop(spec);
        ServiceFiles.delete(registrationFile(spec));
    }

    /** The live process the pid file names, if it is still the agent we started (pids are reused). */
    private Optional<ProcessHandle> running(ServiceSpec spec) {
        Optional<Long> pid = readPid(pidFile(spec));
        if (pid.isEmpty()) {
            return Optional.empty();
        }
        List<String> started = ProcessRegistration.read(registrationFile(spec))
                .map(ProcessRegistration::startedExec)
                .orElse(spec.exec());
        return ProcessHandle.of(pid.get()).filter(Processes::isRunning).filter(h -> runs(h, started));
    }

    /**
     * Whether the process runs {@code exec}: its executable or one of its arguments (a script runs under its
     * interpreter) has the file name of {@code exec[0]}. When the system does not tell, it is taken as ours.
     */
    static boolean runs(ProcessHandle process, List<String> exec) {
        ProcessHandle.Info info = process.info();
        if (info.command().isEmpty() && info.arguments().isEmpty()) {
            return true;
        }
        String program = fileName(exec.get(0));
        return Stream.concat(info.command().stream(), info.arguments().stream().flatMap(Stream::of))
                .anyMatch(word -> fileName(word).equals(program));
    }

    private static String fileName(String path) {
        return path.substring(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
    }

    private static Optional<Long> readPid(Path file) {
        try {
            return Optional.of(Long.parseLong(
                    Files.readString(file, StandardCharsets.UTF_8).strip()));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | NumberFormatException e) {
            throw new ServiceException("cannot read the pid file " + file + ": " + e.getMessage(), e);
        }
    }
}
