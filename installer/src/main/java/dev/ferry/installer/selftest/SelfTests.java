package dev.ferry.installer.selftest;

import dev.ferry.installer.check.Check;
import dev.ferry.installer.check.CheckReport;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The connectivity self-tests of SPEC section 6: {@code dns}, {@code tcp}, {@code proxy}, {@code tls},
 * {@code health}, {@code websocket}, then one {@code target:NAME} per target in profile order, all run in parallel.
 * The {@code clock} check belongs to preflight: see {@link ClockCheck}.
 */
public final class SelfTests {
    private final Clock clock;
    private final Resolver resolver;

    public SelfTests(Clock clock, Resolver resolver) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.resolver = Objects.requireNonNull(resolver, "resolver");
    }

    /** The host's own clock and resolver. */
    public SelfTests() {
        this(Clock.systemUTC(), Resolver.system());
    }

    public Clock clock() {
        return clock;
    }

    public CheckReport run(SelfTestPlan plan) {
        Network network = new Network(resolver, TrustMaterial.of(plan.caFile()), clock);
        PlatformChecks platform = new PlatformChecks(plan, network);
        TargetChecks targets = new TargetChecks(network);
        List<ParallelRunner.Task> tasks = new ArrayList<>();
        tasks.add(new ParallelRunner.Task("dns", plan.defaultTimeout(), platform::dns));
        tasks.add(new ParallelRunner.Task("tcp", plan.defaultTimeout(), platform::tcp));
        tasks.add(new ParallelRunner.Task("proxy", plan.defaultTimeout(), platform::proxy));
        tasks.add(new ParallelRunner.Task("tls", plan.defaultTimeout(), platform::tls));
        tasks.add(new ParallelRunner.Task("health", plan.defaultTimeout(), platform::health));
        tasks.add(new ParallelRunner.Task("websocket", plan.defaultTimeout(), platform::websocket));
        for (TargetSpec target : plan.targets()) {
            tasks.add(new ParallelRunner.Task(target.checkId(), plan.timeoutOf(target), d -> targets.check(target, d)));
        }
        List<Check> checks = ParallelRunner.run(tasks);
        return new CheckReport(checks);
    }
}
