package dev.ferry.installer.transaction;

import dev.ferry.installer.host.HostLayout;
import dev.ferry.installer.service.ServiceManager;
import java.time.Clock;
import java.util.function.Function;

/**
 * What a host transaction starts from, before it knows its agent: the layout under {@code --root}, the clock, the
 * self-test seam, and how to pick the service manager for an agent. The pick may read that agent's state
 * ({@code auto} means the manager it was installed with), so the transaction makes it under the host lock.
 */
public record HostSetup(
        HostLayout layout, Clock clock, Function<String, ServiceManager> serviceManagerFor, Connectivity connectivity) {
    /** One service manager whatever the agent: tests, and hosts where {@code --service-manager} names one. */
    public static HostSetup of(HostContext ctx) {
        return new HostSetup(ctx.layout(), ctx.clock(), agent -> ctx.service(), ctx.connectivity());
    }

    HostContext forAgent(String agent) {
        return new HostContext(layout, clock, serviceManagerFor.apply(agent), connectivity);
    }
}
