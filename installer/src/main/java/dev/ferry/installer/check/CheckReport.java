package dev.ferry.installer.check;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.List;

/** A run of checks, printed by {@code --json} as {@code {"checks":[...]}}. */
public record CheckReport(List<Check> checks) {
    public CheckReport {
        checks = List.copyOf(checks);
    }

    @JsonIgnore
    public boolean passed() {
        return checks.stream().noneMatch(c -> c.result() == Result.FAIL);
    }

    @JsonIgnore
    public List<Check> failures() {
        return checks.stream().filter(c -> c.result() == Result.FAIL).toList();
    }
}
