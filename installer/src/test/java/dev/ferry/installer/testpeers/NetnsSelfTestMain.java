package dev.ferry.installer.testpeers;

import dev.ferry.cli.Json;
import dev.ferry.installer.selftest.SelfTestPlan;
import dev.ferry.installer.selftest.SelfTests;
import dev.ferry.installer.selftest.TargetSpec;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * Runs the self-tests with the host's own resolver and prints the JSON report; started by the netns test inside a
 * network namespace with no route out. Arguments: ENDPOINT [TARGET_HOST:PORT].
 */
public final class NetnsSelfTestMain {
    private NetnsSelfTestMain() {}

    public static void main(String[] args) {
        URI endpoint = URI.create(args[0]);
        URI websocket = URI.create(endpoint.toString().replaceFirst("^https", "wss") + "agent");
        List<TargetSpec> targets = args.length > 1
                ? List.of(new TargetSpec(
                        "fleet", args[1].split(":")[0], Integer.parseInt(args[1].split(":")[1]), "ssh", null))
                : List.of();
        SelfTestPlan plan = new SelfTestPlan(
                endpoint, "/health", websocket, null, null, targets, List.of(), 60, Duration.ofSeconds(5));
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        Json.print(out, new SelfTests().run(plan));
    }
}
