package dev.ferry.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The shifted-clock run (test.sh: {@code -Dferry.clockShiftDays=N}) only proves that no test depends on today's date
 * if the test JVM's clock really moved: a libfaketime that failed to preload would leave it on today and let every
 * time bomb pass. So the JVM's clock must stand where Maven's (unshifted) build time plus the shift says.
 */
class ClockShiftRunTest {
    @Test
    void theTestClockStandsWhereTheBuildSaysItShould() {
        long days = Long.parseLong(System.getProperty("ferry.clockShiftDays", "0"));
        Instant build = Instant.parse(System.getProperty("ferry.buildTime"));
        Instant expected = build.plus(Duration.ofDays(days));
        assertThat(Duration.between(expected, Instant.now()).abs())
                .as("JVM clock %s, build time %s shifted %d days", Instant.now(), build, days)
                .isLessThan(Duration.ofHours(6));
    }
}
