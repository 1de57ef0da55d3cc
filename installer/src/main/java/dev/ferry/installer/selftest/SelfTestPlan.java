package dev.ferry.installer.selftest;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What the self-tests check, taken from the installed profile (SPEC sections 3 and 6).
 *
 * @param endpoint            the platform API, {@code https://host[:port][/prefix]}
 * @param healthPath          appended to the endpoint's path for the {@code health} check
 * @param websocket           the persistent channel ({@code wss://} or {@code ws://}); null when not configured
 * @param caFile              the CA (or inspection CA) the platform chains to, trusted beside the JDK's CAs; nullable
 * @param proxy               the HTTP proxy the platform is reached through; nullable
 * @param targets             internal systems, probed directly (never through the proxy)
 * @param ntpServers          SNTP servers for the clock check, {@code host} or {@code host:port}
 * @param maxClockSkewSeconds the clock check fails beyond this
 * @param defaultTimeout      the timeout of every check without its own
 */
public record SelfTestPlan(
        URI endpoint,
        String healthPath,
        URI websocket,
        Path caFile,
        ProxySettings proxy,
        List<TargetSpec> targets,
        List<String> ntpServers,
        long maxClockSkewSeconds,
        Duration defaultTimeout) {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
    public static final long DEFAULT_MAX_CLOCK_SKEW_SECONDS = 60;

    public SelfTestPlan {
        Objects.requireNonNull(endpoint, "endpoint");
        healthPath = healthPath == null ? "" : healthPath;
        targets = targets == null ? List.of() : List.copyOf(targets);
        ntpServers = ntpServers == null ? List.of() : List.copyOf(ntpServers);
        maxClockSkewSeconds = maxClockSkewSeconds <= 0 ? DEFAULT_MAX_CLOCK_SKEW_SECONDS : maxClockSkewSeconds;
        defaultTimeout = defaultTimeout == null || defaultTimeout.isZero() || defaultTimeout.isNegative()
                ? DEFAULT_TIMEOUT
                : defaultTimeout;
    }

    /** The global override ({@code --timeout}): one timeout for every check, targets included. */
    public SelfTestPlan withTimeoutOverride(Duration timeout) {
        List<TargetSpec> overridden =
                targets.stream().map(t -> t.withTimeout(timeout)).toList();
        return new SelfTestPlan(
                endpoint, healthPath, websocket, caFile, proxy, overridden, ntpServers, maxClockSkewSeconds, timeout);
    }

    Duration timeoutOf(TargetSpec target) {
        return target.timeout() != null ? target.timeout() : defaultTimeout;
    }
}
