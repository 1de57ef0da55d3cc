package dev.ferry.bundle.testing;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

/**
 * The clocks every time-window decision in a test takes: fixed instants, never the system clock, so no test depends
 * on today's date. {@code ./test.sh} runs the fast tests a second time with the JVM clock shifted years ahead
 * ({@code -Dferry.clockShiftDays}, libfaketime) to catch one that does.
 */
public final class TestClocks {
    /** One minute after {@link TestBundles#CREATED_AT}: inside the default bundle (90 days) and token (7 days) windows. */
    public static final Instant INSIDE_WINDOW = TestBundles.CREATED_AT.plusSeconds(60);

    private TestClocks() {}

    /** A clock standing at {@link #INSIDE_WINDOW}. */
    public static Clock insideWindow() {
        return at(INSIDE_WINDOW);
    }

    /** A clock standing still at {@code instant}, in UTC. */
    public static Clock at(Instant instant) {
        return Clock.fixed(instant, ZoneOffset.UTC);
    }
}
