package dev.ferry.installer.service;

import dev.ferry.installer.check.Cause;
import dev.ferry.installer.check.Check;
import dev.ferry.installer.host.OperatingSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The agent as a Windows service, registered with the Service Control Manager through {@code sc.exe}: started
 * automatically at boot, restarted 5 s after each of its first three failures in a day. The SCM starts services in
 * System32 and does not capture their output, so {@code workingDir} and {@code logDir} are not used: the agent
 * writes its own logs. {@code obj=} must name an account that needs no password (a virtual or built-in account).
 */
public final class WindowsServiceManager implements ServiceManager {
    static final int SERVICE_DOES_NOT_EXIST = 1060;
    static final int SERVICE_NOT_ACTIVE = 1062;
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final Duration POLL = Duration.ofMillis(500);
    private static final int MAX_POLLS = 60;
    private static final Pattern STATE = Pattern.compile("^\\s*STATE\\s*:\\s*(\\d+)", Pattern.MULTILINE);
    private static final Pattern EXIT = Pattern.compile("^\\s*WIN32_EXIT_CODE\\s*:\\s*(\\d+)", Pattern.MULTILINE);

    /** Waits between two polls of a stopping service; a test passes one that does not sleep. */
    interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    private final CommandRunner runner;
    private final OperatingSystem os;
    private final Path scExe;
    private final Sleeper sleeper;

    public WindowsServiceManager(CommandRunner runner) {
        this(
                runner,
                OperatingSystem.current(),
                Path.of(Objects.requireNonNullElse(System.getenv("SystemRoot"), "C:\\Windows"), "System32", "sc.exe"),
                d -> Thread.sleep(d.toMillis()));
    }

    WindowsServiceManager(CommandRunner runner, OperatingSystem os, Path scExe, Sleeper sleeper) {
        this.runner = runner;
        this.os = os;
        this.scExe = scExe;
        this.sleeper = sleeper;
    }

    @Override
    public ServiceManagerKind kind() {
        return ServiceManagerKind.WINDOWS;
    }

    @Override
    public Check check() {
        if (!os.isWindows()) {
            return Check.fail(
                    "service-manager",
                    Cause.SERVICE_MANAGER,
                    "the Windows service manager needs Windows, this is " + os.name(),
                    "use --service-manager auto, systemd or process on this host",
                    0);
        }
        if (!Files.isRegularFile(scExe)) {
            return Check.fail(
                    "service-manager",
                    Cause.SERVICE_MANAGER,
                    scExe + " is missing",
                    "restore sc.exe (Windows system files) or use --service-manager process",
                    0);
        }
        return Check.pass("service-manager", "Windows Service Control Manager (" + scExe + ")", 0);
    }

    @Override
    public void install(ServiceSpec spec) {
        String name = ServiceNames.check(spec.name());
        boolean exists = query(name).exitCode() != SERVICE_DOES_NOT_EXIST;
        List<String> register = new ArrayList<>(List.of(
                "sc.exe",
                exists ? "config" : "create",
                name,
                "binPath=",
                WindowsCommandLine.join(spec.exec()),
                "start=",
                "auto",
                "DisplayName=",
                "Ferry agent " + name));
        if (spec.user() != null && !spec.user().isBlank()) {
            register.addAll(List.of("obj=", spec.user()));
        }
        sc(register);
        sc(List.of("sc.exe", "failure", name, "reset=", "86400", "actions=", "restart/5000/restart/5000/restart/5000"));
    }

    @Override
    public void restart(ServiceSpec spec) {
        String name = ServiceNames.check(spec.name());
        if (state(spec) == ServiceState.RUNNING) {
            stop(spec);
        }
        sc(List.of("sc.exe", "start", name));
    }

    @Override
    public void stop(ServiceSpec spec) {
        String name = ServiceNames.check(spec.name());
        sc(List.of("sc.exe", "stop", name), SERVICE_NOT_ACTIVE);
        awaitStopped(spec);
    }

    @Override
    public ServiceState state(ServiceSpec spec) {
        CommandResult result = query(ServiceNames.check(spec.name()));
        if (result.exitCode() == SERVICE_DOES_NOT_EXIST) {
            return ServiceState.NOT_INSTALLED;
        }
        Matcher state = STATE.matcher(result.stdout());
        if (!result.ok() || !state.find()) {
            return ServiceState.UNKNOWN;
        }
        return switch (Integer.parseInt(state.group(1))) {
            case 1 -> stoppedWithError(result.stdout()) ? ServiceState.FAILED : ServiceState.STOPPED; // STOPPED
            case 2, 4, 5 -> ServiceState.RUNNING; // START_PENDING, RUNNING, CONTINUE_PENDING
            case 3, 6, 7 -> ServiceState.STOPPED; // STOP_PENDING, PAUSE_PENDING, PAUSED
            default -> ServiceState.UNKNOWN;
        };
    }

    @Override
    public void uninstall(ServiceSpec spec) {
        String name = ServiceNames.check(spec.name());
        if (state(spec) == ServiceState.NOT_INSTALLED) {
            return;
        }
        stop(spec);
        sc(List.of("sc.exe", "delete", name), SERVICE_DOES_NOT_EXIST);
    }

    /** sc stop only asks: the SCM stops the service in the background. Wait for it, as a restart must. */
    private void awaitStopped(ServiceSpec spec) {
        for (int poll = 0; poll < MAX_POLLS; poll++) {
            ServiceState state = state(spec);
            if (state != ServiceState.RUNNING && state != ServiceState.UNKNOWN) {
                return;
            }
            try {
                sleeper.sleep(POLL);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new ServiceException("service " + spec.name() + " did not stop within "
                + POLL.multipliedBy(MAX_POLLS).toSeconds() + " s (sc.exe query " + spec.name() + ")");
    }

    private static boolean stoppedWithError(String queryOutput) {
        Matcher exit = EXIT.matcher(queryOutput);
        // 1077: never started since boot, which is not a failure.
        return exit.find() && !exit.group(1).equals("0") && !exit.group(1).equals("1077");
    }

    private CommandResult query(String name) {
        return runner.run(List.of("sc.exe", "query", name), TIMEOUT);
    }

    /** Runs sc.exe; its exit code is the Win32 error, and {@code tolerated} ones mean "already so". */
    private void sc(List<String> command, int... tolerated) {
        CommandResult result = runner.run(command, TIMEOUT);
        if (result.ok()) {
            return;
        }
        for (int code : tolerated) {
            if (result.exitCode() == code) {
                return;
            }
        }
        throw ServiceException.commandFailed(command, result);
    }
}
