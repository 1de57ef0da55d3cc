package dev.ferry.installer.transaction;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The test-only switches work only with the test suite's JVM option, and are never silent. */
class TestHooksTest {
    private static final Map<String, String> BOTH =
            Map.of(TestHooks.NOW_ENV, "2030-01-01T00:00:00Z", TestHooks.CRASH_ENV, CrashPoints.SWITCH_LINKED);

    @Test
    void withoutTheTestOptionTheVariablesAreIgnoredAndStderrSaysSo() {
        TestHooks hooks = TestHooks.from(BOTH, null);
        assertThat(hooks.now()).isEmpty();
        assertThat(hooks.crashAt()).isEmpty();
        assertThat(hooks.logNotes()).isEmpty();
        assertThat(hooks.announcements())
                .containsExactly(
                        "installer: ignoring FERRY_TEST_NOW: a test-only switch, honoured only under the test suite",
                        "installer: ignoring FERRY_TEST_CRASH_AT: a test-only switch, honoured only under the test suite");
        assertThat(TestHooks.from(BOTH, "yes").now())
                .as("only exactly true turns them on")
                .isEmpty();
    }

    @Test
    void withTheTestOptionTheyAreHonouredAndAnnouncedOnStderrAndInTheLog() {
        TestHooks hooks = TestHooks.from(BOTH, "true");
        assertThat(hooks.now()).contains("2030-01-01T00:00:00Z");
        assertThat(hooks.crashAt()).contains(CrashPoints.SWITCH_LINKED);
        assertThat(hooks.announcements())
                .hasSize(2)
                .allSatisfy(line -> assertThat(line).contains("TEST HOOK"));
        assertThat(hooks.logNotes())
                .containsExactly(
                        "TEST HOOK FERRY_TEST_NOW=2030-01-01T00:00:00Z",
                        "TEST HOOK FERRY_TEST_CRASH_AT=" + CrashPoints.SWITCH_LINKED);
    }

    @Test
    void aCleanHostSaysNothing() {
        TestHooks hooks = TestHooks.from(Map.of(TestHooks.NOW_ENV, " "), "true");
        assertThat(hooks.now()).isEmpty();
        assertThat(hooks.announcements()).isEmpty();
        assertThat(hooks.logNotes()).isEmpty();
    }
}
