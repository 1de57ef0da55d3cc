package dev.ferry.installer.service;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * What {@code status} reports about the service. Only {@link #RUNNING} means the agent is up: a unit that systemd
 * is about to start again after a crash is {@link #RESTARTING}, one still starting is {@link #STARTING}.
 */
public enum ServiceState {
    RUNNING,
    STARTING,
    RESTARTING,
    STOPPING,
    STOPPED,
    FAILED,
    NOT_INSTALLED,
    UNKNOWN;

    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
