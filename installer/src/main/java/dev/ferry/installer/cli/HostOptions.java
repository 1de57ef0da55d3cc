package dev.ferry.installer.cli;

import dev.ferry.installer.service.ServiceManagerKind;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options of every host command: where the host layout lives and which service manager to use. */
public final class HostOptions {
    @Option(
            names = "--root",
            paramLabel = "DIR",
            defaultValue = "/",
            description = "Relocate the whole host layout under DIR; nothing is written outside it. Default: /.")
    public Path root;

    @Option(
            names = "--service-manager",
            paramLabel = "KIND",
            defaultValue = "auto",
            description = "auto, systemd, windows, process or none. Default: auto (the one the install used, else "
                    + "systemd when it is PID 1's manager and the root is /, else process).")
    public ServiceManagerKind serviceManager;

    @Option(
            names = "--name",
            paramLabel = "AGENT",
            description = "The installed agent to act on, when more than one is installed under the root.")
    public String name;
}
