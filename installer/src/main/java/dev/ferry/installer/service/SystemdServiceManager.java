package dev.ferry.installer.service;

import dev.ferry.installer.check.Cause;
import dev.ferry.installer.check.Check;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The agent as a systemd unit: {@code <root>/etc/systemd/system/NAME.service}, driven by {@code systemctl}.
 * {@code --root} relocates the unit file only; the paths inside it are the spec's, as given (already under the
 * root), so a staged unit can be inspected as it would run. systemctl always acts on the running host.
 */
public final class SystemdServiceManager implements ServiceManager {
    static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final Path RUNNING_SYSTEMD = Path.of("/run/systemd/system");

    private final Path root;
    private final CommandRunner runner;
    private final Path runningMarker;

    public SystemdServiceManager(Path root, CommandRunner runner) {
        this(root, runner, RUNNING_SYSTEMD);
    }

    /** @param runningMarker the folder that exists when systemd is PID 1 (a test points it elsewhere) */
    SystemdServiceManager(Path root, CommandRunner runner, Path runningMarker) {
        this.root = root;
        this.runner = runner;
        this.runningMarker = runningMarker;
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
            return Check.fail("service-manager", Cause.SERVICE_MANAGER,
                    "systemctl is not usable: " + version.firstErrorLine(), remedy, millisSince(start));
        }
        if (!Files.isDirectory(runningMarker)) {
            return Check.fail("service-manager", Cause.SERVICE_MANAGER,
                    "systemd is installed but not running as PID 1 (no " + runningMarker + ")", remedy, millisSince(start));
        }
        return Check.pass("service-manager", "systemd: " + version.firstErrorLine(), millisSince(start));
    }

    @Override
    public void install(ServiceSpec spec) {
        ServiceFiles.write(unitFile(spec), SystemdUnit.render(spec));
        systemctl("daemon-reload");
        systemctl("enable", spec.name());
    }

    @Override
    public void restart(ServiceSpec spec) {
        systemctl("restart", ServiceNames.check(spec.name()));
    }

    @Override
    public void stop(ServiceSpec spec) {
        systemctl("stop", ServiceNames.check(spec.name()));
    }

    /** {@code is-active} prints "inactive" for a unit systemd has never heard of: the unit file tells them apart. */
    @Override
    public ServiceState state(ServiceSpec spec) {
        String name = ServiceNames.check(spec.name());
        String active = runner.run(List.of("systemctl", "is-active", name), TIMEOUT).stdout().strip();
        boolean registered = Files.exists(unitFile(spec));
        return switch (active) {
            case "active", "activating", "reloading" -> ServiceState.RUNNING;
            case "failed" -> ServiceState.FAILED;
            case "inactive", "deactivating" -> registered ? ServiceState.STOPPED : ServiceState.NOT_INSTALLED;
            default -> registered ? ServiceState.UNKNOWN : ServiceState.NOT_INSTALLED;
        };
    }

    @Override
    public void uninstall(ServiceSpec spec) {
        Path unit = unitFile(spec);
        if (Files.exists(unit)) {
            systemctl("disable", "--now", spec.name());
        }
        ServiceFiles.delete(unit);
        systemctl("daemon-reload");
    }

    private void systemctl(String... args) {
        List<String> command = new ArrayList<>(List.of("systemctl"));
        command.addAll(List.of(args));
        CommandResult result = runner.run(command, TIMEOUT);
        if (!result.ok()) {
            throw ServiceException.commandFailed(command, result);
        }
    }

    private static long millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
