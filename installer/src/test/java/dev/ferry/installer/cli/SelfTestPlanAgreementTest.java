package dev.ferry.installer.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.ferry.common.Sanitizer;
import dev.ferry.installer.host.HostPaths;
import dev.ferry.installer.selftest.SelfTestPlan;
import dev.ferry.installer.selftest.SelfTestPlans;
import dev.ferry.installer.transaction.HostileFieldVariants;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 21, one validator, the self-test side: every hostile variant of the fields a self-test plan is built from
 * that the bundle verifier accepts makes a plan (the installed one and the preflight clock check's) without an error,
 * with the profile's endpoint, websocket, proxy and targets as the verifier saw them. A parsing rule added here
 * without its verify-time rule fails this test (the transaction side is HostFieldAgreementTest).
 */
class SelfTestPlanAgreementTest {
    private static final List<String> FIELDS = List.of(
            "platform.endpoint",
            "platform.healthPath",
            "platform.websocket",
            "proxy.url",
            "proxy.username",
            "proxy.noProxy[0]",
            "proxy.noProxy[1]",
            "targets[0].name",
            "targets[0].host",
            "targets[0].probe",
            "prerequisites.ntpServers[0]");
    private static final int TRIES = 800;

    @TempDir
    Path root;

    @Test
    void whatTheVerifierAcceptsMakesASelfTestPlan() {
        HostPaths paths = new HostPaths(root, "sample-bot");
        HostileFieldVariants variants = new HostileFieldVariants(1921);
        int accepted = 0;
        for (int i = 0; i < TRIES; i++) {
            HostileFieldVariants.Accepted v = variants.next(FIELDS.get(i % FIELDS.size()));
            if (v == null) {
                continue;
            }
            accepted++;
            try {
                SelfTestPlan plan = SelfTestPlans.of(v.profile(), paths, Duration.ofSeconds(1))
                        .orElseThrow();
                assertThat(plan.endpoint().toString())
                        .isEqualTo(v.profile().platform().endpoint());
                assertThat(plan.targets()).hasSize(v.profile().targets().size());
                assertThat(plan.proxy().url().toString())
                        .isEqualTo(v.profile().proxy().url());
                assertThat(SelfTestPlans.forClock(v.profile(), paths)).isPresent();
            } catch (RuntimeException | AssertionError e) {
                fail(
                        "the verifier accepted " + v.field() + " = " + Sanitizer.quote(v.value())
                                + ", but the self-test plan: " + e,
                        e);
            }
        }
        assertThat(accepted).as("variants reach the plan").isGreaterThan(TRIES / 10);
    }
}
