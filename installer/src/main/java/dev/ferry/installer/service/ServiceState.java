package dev.ferry.installer.service;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** What {@code status} reports about the service. */
public enum ServiceState {
    RUNNING,
    STOPPED,
    FAILED,
    NOT_INSTALLED,
    UNKNOWN;

    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
