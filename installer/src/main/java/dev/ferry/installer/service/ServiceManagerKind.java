package dev.ferry.installer.service;

/** {@code --service-manager}: how the agent is registered as a service (SPEC section 1). */
public enum ServiceManagerKind {
    AUTO,
    SYSTEMD,
    WINDOWS,
    PROCESS,
    NONE
}
