package dev.ferry.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The host clock jumps between runs (FERRY_TEST_NOW, the test-only clock). Forward 100 days: status says the token
 * expired, the old token cannot be registered again (exit 6, nothing changed), a new one can. Back before the
 * bundle was made: install refuses with exit 6 and points at the host clock, both at preflight and, with that check
 * ignored, at verification; nothing is installed.
 */
@Tag("slow")
@ExtendWith(FaultLedger.class)
class FaultClockTest {
    @TempDir
    Path work;

    @Test
    void clockMovedForwardExpiresTheTokenAndRegisterNeedsANewOne() throws Exception {
        try (FaultHost host = new FaultHost(work)) {
            assertThat(host.run(host.install(host.bundle("1.0.0", 1))).exitCode())
                    .isZero();
            host.plantMarker();
            Instant later = Instant.now().plus(Duration.ofDays(100));
            Map<String, String> clock = Map.of("FERRY_TEST_NOW", later.toString());
            Path token = host.fx.configDir().resolve("token");
            String oldToken = Files.readString(token);

            FaultLedger.caseTried();
            FaultLedger.faultInjected();
            Programs.Run status = host.run(clock, "status", "--json");
            assertThat(status.exitCode()).as(status.toString()).isZero();
            JsonNode s = FaultHost.json(status);
            assertThat(s.path("token").path("valid").asBoolean()).isFalse();
            assertThat(s.path("token").path("daysLeft").asLong()).isNegative();
            assertThat(s.path("bundle").path("daysLeft").asLong()).isNegative();
            assertThat(host.run(clock, "selftest").exitCode()).isZero(); // no platform in this profile: nothing to fail

            Path old = work.resolve("old.token");
            Files.writeString(old, oldToken);
            Programs.Run refused = host.run(clock, "register", "--token", old.toString());
            assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(6);
            assertThat(refused.stderr()).contains("expired", "nothing changed").doesNotContain(oldToken);
            assertThat(token).hasContent(oldToken);

            String fresh =
                    InstallerFixture.jwt("renewed", later.minus(Duration.ofDays(1)), later.plus(Duration.ofDays(30)));
            Path renewed = work.resolve("renewed.token");
            Files.writeString(renewed, fresh);
            host.rememberToken("renewed", fresh);
            Programs.Run registered = host.run(clock, "register", "--token", renewed.toString());
            assertThat(registered.exitCode()).as(registered.toString()).isZero();
            JsonNode after = FaultHost.json(host.run(clock, "status", "--json"));
            assertThat(after.path("token").path("valid").asBoolean()).isTrue();
            assertThat(after.path("token").path("id").asText()).isEqualTo("renewed");
            assertThat(token).hasContent(fresh);
            host.assertWhole("1.0.0-1");
            FaultLedger.recoveryObserved();
        }
    }

    @Test
    void clockMovedBackBeforeTheBundleWasMadeIsRefusedNamingTheHostClock() throws Exception {
        try (FaultHost host = new FaultHost(work)) {
            Path v1 = host.bundle("1.0.0", 1);
            Map<String, String> clock = Map.of(
                    "FERRY_TEST_NOW",
                    InstallerFixture.CREATED
                            .minus(Duration.ofDays(1))
                            .minus(Duration.ofHours(1))
                            .toString());

            FaultLedger.caseTried();
            FaultLedger.faultInjected();
            Programs.Run preflight = host.run(clock, host.install(v1));
            assertThat(preflight.exitCode()).as(preflight.toString()).isEqualTo(6);
            assertThat(preflight.stdout() + preflight.stderr()).contains("token-window", "check the host clock");

            FaultLedger.caseTried();
            FaultLedger.faultInjected();
            Programs.Run verify = host.run(clock, host.install(v1, "--ignore-preflight", "token-window"));
            assertThat(verify.exitCode()).as(verify.toString()).isEqualTo(6);
            assertThat(verify.stderr()).contains("after this host's clock", "check the host clock");

            assertThat(host.status().path("installed").asBoolean()).isFalse();
            assertThat(host.root().resolve("opt/ferry/" + InstallerFixture.NAME + "/releases"))
                    .doesNotExist();
            assertThat(host.fx.configDir()).doesNotExist();

            // Once the clock is right again, the same bundle installs.
            assertThat(host.run(host.install(v1)).exitCode()).isZero();
            host.plantMarker();
            host.assertWhole("1.0.0-1");
            FaultLedger.recoveryObserved();
        }
    }
}
