package dev.ferry.installer.service;

import dev.ferry.installer.host.OperatingSystem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Chooses the {@link ServiceManager} for {@code --service-manager}. */
public final class ServiceManagers {
    private static final Path RUNNING_SYSTEMD = Path.of("/run/systemd/system");
    private static final Path PID1_NAME = Path.of("/proc/1/comm");

    private ServiceManagers() {}

    /** {@link #select(ServiceManagerKind, Path, CommandRunner)} with the real {@link ProcessCommandRunner}. */
    public static ServiceManager select(ServiceManagerKind kind, Path root) {
        return select(kind, root, new ProcessCommandRunner());
    }

    /**
     * @param root {@code --root}: where the systemd unit file is written. It relocates files, not the decision:
     *     {@code auto} looks at the real host.
     */
    public static ServiceManager select(ServiceManagerKind kind, Path root, CommandRunner runner) {
        return switch (resolve(kind, OperatingSystem.current(), RUNNING_SYSTEMD, PID1_NAME)) {
            case SYSTEMD -> new SystemdServiceManager(root, runner);
            case WINDOWS -> new WindowsServiceManager(runner);
            case PROCESS -> new ProcessServiceManager();
            case NONE -> new NoneServiceManager();
            case AUTO -> throw new IllegalStateException("auto is resolved above");
        };
    }

    /** {@code auto}: Windows on Windows, systemd when it is PID 1, else a plain detached process. */
    static ServiceManagerKind resolve(ServiceManagerKind kind, OperatingSystem os, Path runningSystemd, Path pid1Name) {
        if (kind != ServiceManagerKind.AUTO) {
            return kind;
        }
        if (os.isWindows()) {
            return ServiceManagerKind.WINDOWS;
        }
        return Files.isDirectory(runningSystemd) || "systemd".equals(firstLine(pid1Name))
                ? ServiceManagerKind.SYSTEMD
                : ServiceManagerKind.PROCESS;
    }

    private static String firstLine(Path file) {
        try {
            return Files.readString(file).strip();
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }
}
