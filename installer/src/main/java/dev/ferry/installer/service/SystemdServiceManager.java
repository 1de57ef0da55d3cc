package dev.ferry.installer.service;

import dev.ferry.installer.check.Cause;
import dev.ferry.installer.check.Check;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The agent as a systemd unit: {@code <root>/etc/systemd/system/NAME.service}, driven by {@code systemctl}.
 * {@code --root} relocates the unit file only; the paths inside it are the spec's, as given (already under the
 * root), so a staged unit can be inspected as it would run. systemctl always acts on the running host.
 *
 * <p>A start is not trusted until the agent has stayed running for {@link #GRACE}: systemd reports a
 * {@code Type=simple} unit started as soon as it forked, even when the agent dies a moment later and the unit
 * crash-loops. A start that does not hold throws with the unit's own reason (its state, exit status and the
 * journal's line), which the transaction turns into a rollback (exit 7).
 */
public final class SystemdServiceManager implements ServiceManager {
    static final Duration TIMEOUT = Duration.ofSeconds(90);
    /** How long the agent must stay running after a start. Longer than a failing agent takes to die, shorter than RestartSec. */
    static final Duration GRACE = Duration.ofSeconds(3);

    static final Duration POLL = Duration.ofMillis(250);
    private static final Path RUNNING_SYSTEMD = Path.of("/run/systemd/system");

    /** Waits between two looks at the unit; a seam so unit tests do not sleep. */
    interface Pause {
        void sleep(Duration duration);
    }

    private final Path root;
    private final CommandRunner runner;
    private final Path runningMarker;
    private final Pause pause;
    private final AgentFolders folders;

    public SystemdServiceManager(Path root, CommandRunner runner) {
        this(root, runner, RUNNING_SYSTEMD, SystemdServiceManager::sleep);
    }

    /**
     * @param runningMarker the folder that exists when systemd is PID 1 (a test points it elsewhere)
     * @param pause how the start confirmation waits between its looks at the unit
     */
    SystemdServiceManager(Path root, CommandRunner runner, Path runningMarker, Pause pause) {
        this.root = root;
        this.runner = runner;
        this.runningMarker = runningMarker;
        this.pause = pause;
        this.folders = new AgentFolders(runner);
    }

    @Override
    public ServiceManagerKind kind() {
        return ServiceManagerKind.SYSTEMD;
    }

    public Path unitFile(ServiceSpec spec) {
        return root.resolve("etc/systemd/system").resolve(ServiceNames.check(spec.name()) + ".service");
    }

    @Override
    public Check check() {
        long start = System.nanoTime();
        CommandResult version = runner.run(List.of("systemctl", "--version"), Duration.ofSeconds(10));
        String remedy = "use --service-manager process on hosts without systemd";
        if (!version.ok()) {
            return Check.fail(
                    "service-manager",
                    Cause.SERVICE_MANAGER,
                    "systemctl is not usable: " + version.firstErrorLine(),
                    remedy,
                    millisSince(start));
        }
        if (!Files.isDirectory(runningMarker)) {
            return Check.fail(
                    "service-manager",
                    Cause.SERVICE_MANAGER,
                    "systemd is installed but not running as PID 1 (no " + runningMarker + ")",
                    remedy,
                    millisSince(start));
        }
        return Check.pass("service-manager", "systemd: " + version.firstErrorLine(), millisSince(start));
    }

    /** Everything the unit names exists first (folders, log files, the user's access), then the unit, reload, enable. */
    @Override
    public void install(ServiceSpec spec) {
        folders.prepare(spec);
        ServiceFiles.write(unitFile(spec), SystemdUnit.render(spec));
        systemctl("daemon-reload");
        systemctl("enable", spec.name());
    }

    /** Restarts the unit and returns only once the agent has stayed running for {@link #GRACE}. */
    @Override
    public void restart(ServiceSpec spec) {
        String name = ServiceNames.check(spec.name());
        folders.prepare(spec);
        // A unit that gave up (start limit hit) refuses even a restart by hand until its failure is forgotten.
        runner.run(List.of("systemctl", "reset-failed", name), TIMEOUT);
        systemctl("restart", name);
        confirmRunning(name, spec);
    }

    /** Looks at the unit every {@link #POLL} for {@link #GRACE}: the same process must be running each time. */
    private void confirmRunning(String name, ServiceSpec spec) {
        SystemdUnitState first = show(name);
        SystemdUnitState now = first;
        for (long look = 0; ; look++) {
            if (!now.running() || now.mainPid() != first.mainPid() || now.restarts() > first.restarts()) {
                throw notRunning(name, now, spec);
            }
            if (look * POLL.toMillis() >= GRACE.toMillis()) {
                return;
            }
            pause.sleep(POLL);
            now = show(name);
        }
    }

    /** The agent's own stderr is not quoted (it is the agent's, and may say anything): the message names the file. */
    private ServiceException notRunning(String name, SystemdUnitState unit, ServiceSpec spec) {
        String exit = unit.lastExit();
        String reason = journalReason(name);
        return new ServiceException(name + " did not stay running under systemd: " + unit.managerState()
                + (exit == null ? "" : ", " + exit) + (reason.isEmpty() ? "" : "; journal: " + reason)
                + " (see journalctl -u " + name
                + (spec.logDir() == null ? "" : " and " + spec.logDir().resolve("error.log")) + ")");
    }

    /** systemd's own words for the failure ("Failed to set up standard output: ..."), the last such journal line. */
    private String journalReason(String name) {
        CommandResult journal =
                runner.run(List.of("journalctl", "-u", name, "-n", "20", "--no-pager", "-o", "cat"), TIMEOUT);
        if (!journal.ok()) {
            return "";
        }
        List<String> lines = journal.stdout()
                .lines()
                .map(String::strip)
                .filter(l -> !l.isEmpty())
                .toList();
        for (int i = lines.size() - 1; i >= 0; i--) {
            String line = lines.get(i);
            if (line.contains("Failed") && !line.contains("Failed with result")) {
                return line;
            }
        }
        return "";
    }

    @Override
    public void stop(ServiceSpec spec) {
        systemctl("stop", ServiceNames.check(spec.name()));
    }

    @Override
    public ServiceState state(ServiceSpec spec) {
        return status(spec).state();
    }

    /** The unit's real state and main PID; a unit systemd does not know but whose file is there is "stopped". */
    @Override
    public ServiceStatus status(ServiceSpec spec) {
        String name = ServiceNames.check(spec.name());
        CommandResult show = runner.run(showCommand(name), TIMEOUT);
        if (!show.ok()) {
            return ServiceStatus.of(Files.exists(unitFile(spec)) ? ServiceState.UNKNOWN : ServiceState.NOT_INSTALLED);
        }
        SystemdUnitState unit = SystemdUnitState.parse(show.stdout());
        if (unit.state() == ServiceState.NOT_INSTALLED && Files.exists(unitFile(spec))) {
            return new ServiceStatus(ServiceState.STOPPED, "not loaded (daemon-reload pending)", null, null, null);
        }
        return unit.status();
    }

    /** {@code journalctl -u NAME}: the last {@code lines} lines, with ISO times. */
    @Override
    public Optional<String> journal(ServiceSpec spec, int lines) {
        CommandResult journal = runner.run(
                List.of(
                        "journalctl",
                        "-u",
                        ServiceNames.check(spec.name()),
                        "-n",
                        String.valueOf(lines),
                        "--no-pager",
                        "-o",
                        "short-iso"),
                TIMEOUT);
        return journal.ok() ? Optional.of(journal.stdout()) : Optional.empty();
    }

    /** Stops and disables the unit, removes its file, reloads systemd and lets it forget the unit's failures. */
    @Override
    public void uninstall(ServiceSpec spec) {
        Path unit = unitFile(spec);
        String name = ServiceNames.check(spec.name());
        if (Files.exists(unit)) {
            systemctl("disable", "--now", name);
        }
        ServiceFiles.delete(unit);
        systemctl("daemon-reload");
        // A unit that failed stays listed (failed, not-found) until this: nothing of it may remain.
        runner.run(List.of("systemctl", "reset-failed", name), TIMEOUT);
    }

    private SystemdUnitState show(String name) {
        List<String> command = showCommand(name);
        CommandResult result = runner.run(command, TIMEOUT);
        if (!result.ok()) {
            throw ServiceException.commandFailed(command, result);
        }
        return SystemdUnitState.parse(result.stdout());
    }

    private static List<String> showCommand(String name) {
        return List.of("systemctl", "show", name, "--property=" + String.join(",", SystemdUnitState.PROPERTIES));
    }

    private void systemctl(String... args) {
        List<String> command = new ArrayList<>(List.of("systemctl"));
        command.addAll(List.of(args));
        CommandResult result = runner.run(command, TIMEOUT);
        if (!result.ok()) {
            throw ServiceException.commandFailed(command, result);
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServiceException("interrupted while waiting for the service to start", e);
        }
    }

    private static long millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
