package dev.ferry.installer.selftest;

import dev.ferry.installer.check.Check;
import dev.ferry.installer.check.CheckReport;
import dev.ferry.installer.testpeers.TestPki;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/** Shared test material: CAs, a resolver that maps test names to loopback, plan builders. */
final class Fixtures {
    static final TestPki.Ca PLATFORM_CA = TestPki.Ca.create("CN=Ferry Test Platform CA,O=Ferry Tests");
    static final TestPki.Ca INSPECTION_CA = TestPki.Ca.create("CN=Acme Inspection CA,O=Acme Firewall");
    static final String HOST = "platform.test";

    private Fixtures() {}

    /** Maps the {@code .test} names to 127.0.0.1; everything else goes to the host's resolver. */
    static final Resolver LOOPBACK_NAMES =
            host -> Set.of(HOST, "other.test", "fleet.test").contains(host)
                    ? new InetAddress[] {InetAddress.getByName("127.0.0.1")}
                    : InetAddress.getAllByName(host);

    static TestPki.Server platformServer() {
        return PLATFORM_CA.issue(HOST, List.of(HOST, "localhost"), List.of("127.0.0.1"));
    }

    static SelfTestPlan plan(
            String endpoint,
            String websocket,
            Path caFile,
            ProxySettings proxy,
            List<TargetSpec> targets,
            Duration timeout) {
        return new SelfTestPlan(
                URI.create(endpoint),
                "/health",
                websocket == null ? null : URI.create(websocket),
                caFile,
                proxy,
                targets,
                List.of(),
                60,
                timeout);
    }

    static Check check(CheckReport report, String id) {
        return report.checks().stream()
                .filter(c -> c.id().equals(id))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no check " + id + " in " + report));
    }
}
