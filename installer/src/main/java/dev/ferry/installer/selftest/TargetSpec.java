package dev.ferry.installer.selftest;

import java.time.Duration;
import java.util.Locale;

/**
 * One {@code targets} entry: an internal system the agent must reach, probed directly.
 *
 * @param probe   {@code tcp}, {@code tls} or {@code ssh}
 * @param timeout nullable: the plan's default
 */
public record TargetSpec(String name, String host, int port, String probe, Duration timeout) {
    public TargetSpec {
        probe = probe == null ? "tcp" : probe.toLowerCase(Locale.ROOT);
    }

    public String checkId() {
        return "target:" + name;
    }

    TargetSpec withTimeout(Duration newTimeout) {
        return new TargetSpec(name, host, port, probe, newTimeout);
    }
}
