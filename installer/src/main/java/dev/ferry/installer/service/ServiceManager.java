package dev.ferry.installer.service;

import dev.ferry.installer.check.Check;

/**
 * Registers, starts and stops the agent as a service. One implementation per {@link ServiceManagerKind}; the ones
 * that drive host tools (systemctl, sc.exe) do so through a {@code CommandRunner} seam so tests can see the
 * command lines without a real systemd or Windows.
 */
public interface ServiceManager {
    ServiceManagerKind kind();

    /** The {@code service-manager} preflight check: is this manager present and usable here? */
    Check check();

    /** Writes or replaces the registration (unit file, SCM entry); does not start it. */
    void install(ServiceSpec spec);

    /** Starts or restarts the service; returns once it was asked to run (state may still be starting). */
    void restart(ServiceSpec spec);

    void stop(ServiceSpec spec);

    ServiceState state(ServiceSpec spec);

    /** Stops the service and removes its registration. Missing registration is not an error. */
    void uninstall(ServiceSpec spec);
}
