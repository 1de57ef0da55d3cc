package dev.ferry.installer.service;

import dev.ferry.installer.check.Check;
import java.util.Optional;

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

    /**
     * Starts or restarts the service. systemd returns once the agent has stayed running for a grace period and
     * throws {@link ServiceException} with the unit's own failure reason otherwise; the other managers return once
     * it was asked to run (state may still be starting).
     */
    void restart(ServiceSpec spec);

    void stop(ServiceSpec spec);

    ServiceState state(ServiceSpec spec);

    /** {@link #state} with what the manager itself says about the service (systemd: unit state, main PID). */
    default ServiceStatus status(ServiceSpec spec) {
        return ServiceStatus.of(state(spec));
    }

    /**
     * The manager's own log of the service, last {@code lines} lines (systemd: {@code journalctl -u}), for
     * {@code diagnose}; empty where the manager keeps none.
     */
    default Optional<String> journal(ServiceSpec spec, int lines) {
        return Optional.empty();
    }

    /** Stops the service and removes its registration. Missing registration is not an error. */
    void uninstall(ServiceSpec spec);
}
