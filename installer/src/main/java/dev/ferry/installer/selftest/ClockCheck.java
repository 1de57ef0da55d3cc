package dev.ferry.installer.selftest;

import dev.ferry.installer.check.Cause;
import dev.ferry.installer.check.Check;
import java.io.IOException;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The preflight {@code clock} check: the local clock's offset by SNTP against the profile's {@code ntpServers}
 * ({@code host} or {@code host:port}), else against the platform's HTTP {@code Date} header (through the proxy when
 * set), else {@code warn}. Beyond {@code maxClockSkewSeconds} it fails with {@code clock-skew}: a drifting clock
 * breaks token authentication and TLS.
 *
 * <p>The {@code Date} header is a reading of the server's clock whether or not its certificate is trusted yet, so it
 * is read over TLS without checking the certificate: before a first install the platform's CA is still inside the
 * bundle, which preflight runs before verifying, and a clock far off makes every certificate look expired or not yet
 * valid, which is exactly what this check is there to tell. The {@code tls} self-test checks the certificate, with the
 * bundle's CA, once the bundle is verified; the evidence says when the certificate was not trusted here. Only a
 * {@code GET} of the health path goes over that connection, nothing secret.
 */
public final class ClockCheck {
    static final String REMEDY = "sync the clock with NTP (timedatectl set-ntp true / chronyc makestep), "
            + "or set it by hand (date -s), then rerun";

    private final Resolver resolver;

    public ClockCheck(Resolver resolver) {
        this.resolver = Objects.requireNonNull(resolver, "resolver");
    }

    public ClockCheck() {
        this(Resolver.system());
    }

    public Check run(SelfTestPlan plan, Clock local) {
        long start = System.nanoTime();
        List<String> tried = new ArrayList<>();
        Cause lastCause = null;
        for (String server : plan.ntpServers()) {
            HostPort hp;
            try {
                hp = HostPort.parse(server, SntpClient.DEFAULT_PORT);
            } catch (RuntimeException e) {
                tried.add("'" + server + "': not host or host:port");
                lastCause = Cause.PROTOCOL;
                continue;
            }
            try {
                InetAddress address = resolver.resolve(hp.host())[0];
                Duration offset = SntpClient.offset(address, hp.port(), local, plan.defaultTimeout());
                return judge(plan, offset, hp + " (SNTP)", start);
            } catch (UnknownHostException e) {
                tried.add(hp + ": does not resolve");
                lastCause = Cause.DNS_FAILURE;
            } catch (SocketTimeoutException e) {
                tried.add(hp + ": no answer within " + plan.defaultTimeout().toSeconds() + " s");
                lastCause = Cause.TIMEOUT;
            } catch (IOException e) {
                tried.add(hp + ": " + Failures.message(e));
                lastCause = Cause.PROTOCOL;
            }
        }
        WebAddress endpoint = WebAddress.of(plan.endpoint());
        String path = endpoint.path(plan.healthPath());
        Deadline deadline = new Deadline(plan.defaultTimeout());
        try {
            Network network = Network.forClockReading(resolver, TrustMaterial.of(plan.caFile()), local);
            long before = local.millis();
            HttpHead head = HttpGet.get(network, plan.proxy(), endpoint, path, deadline);
            long after = local.millis();
            String date = head.header("Date");
            if (date != null) {
                Instant remote = ZonedDateTime.parse(date, DateTimeFormatter.RFC_1123_DATE_TIME)
                        .toInstant();
                // The header has whole seconds: compare against the middle of the exchange, the nearest we know.
                Instant localMid = Instant.ofEpochMilli(before + (after - before) / 2);
                return judge(
                        plan,
                        Duration.between(remote, localMid).negated(),
                        "the Date header of " + endpoint.url(path) + unchecked(network.distrusted()),
                        start);
            }
            tried.add(endpoint.url(path) + ": no Date header");
            lastCause = Cause.PROTOCOL;
        } catch (ProbeFailure f) {
            tried.add(endpoint.url(path) + ": " + f.evidence);
            lastCause = f.cause;
        } catch (DateTimeParseException e) {
            tried.add(endpoint.url(path) + ": unreadable Date header");
            lastCause = Cause.PROTOCOL;
        } finally {
            deadline.abort();
        }
        return Check.warn(
                "clock",
                lastCause,
                "could not compare the clock with any time source (" + String.join("; ", tried) + ")",
                "set prerequisites.ntpServers to an NTP server reachable from this host, and check the time by hand",
                elapsed(start));
    }

    private static String unchecked(ProbeFailure distrusted) {
        return distrusted == null
                ? ""
                : ", whose certificate the tls self-test checks (not trusted here yet: " + distrusted.cause.id() + ")";
    }

    private static Check judge(SelfTestPlan plan, Duration offset, String source, long start) {
        double seconds = offset.toMillis() / 1000.0;
        // offset > 0: the source is ahead, i.e. the local clock is behind.
        String direction = seconds > 0 ? "behind" : "ahead of";
        String evidence = String.format(
                Locale.ROOT,
                "the local clock is %.1f s %s %s (max %d s)",
                Math.abs(seconds),
                direction,
                source,
                plan.maxClockSkewSeconds());
        if (Math.abs(offset.toMillis()) > plan.maxClockSkewSeconds() * 1000) {
            return Check.fail("clock", Cause.CLOCK_SKEW, evidence, REMEDY, elapsed(start));
        }
        return Check.pass("clock", evidence, elapsed(start));
    }

    private static long elapsed(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }
}
