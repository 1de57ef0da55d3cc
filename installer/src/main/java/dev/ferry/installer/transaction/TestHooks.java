package dev.ferry.installer.transaction;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The installer's two test-only switches: {@value #NOW_ENV} (the clock starts at that instant) and
 * {@value #CRASH_ENV} (SIGKILL at a named transaction step, {@link CrashPoints}). A stray variable on a real host
 * must not let an expired bundle in or kill an install, so they are honoured only when the JVM also runs with
 * {@code -D}{@value #ENABLE_PROPERTY}{@code =true}, which only the test suite passes (through {@code FERRY_JAVA_OPTS}
 * of {@code bin/}); the images, kits and {@code bin/} never set it. Honoured, each says so on stderr and in every
 * install.log line; set but ignored, each says that on stderr.
 */
public final class TestHooks {
    public static final String ENABLE_PROPERTY = "ferry.testHooks";
    public static final String NOW_ENV = "FERRY_TEST_NOW";
    public static final String CRASH_ENV = "FERRY_TEST_CRASH_AT";

    private static final TestHooks CURRENT = from(System.getenv(), System.getProperty(ENABLE_PROPERTY));

    private final boolean enabled;
    private final String now;
    private final String crashAt;

    private TestHooks(boolean enabled, String now, String crashAt) {
        this.enabled = enabled;
        this.now = now;
        this.crashAt = crashAt;
    }

    /** This process's hooks. */
    public static TestHooks current() {
        return CURRENT;
    }

    static TestHooks from(Map<String, String> env, String enableProperty) {
        return new TestHooks(
                "true".equals(enableProperty), blankToNull(env.get(NOW_ENV)), blankToNull(env.get(CRASH_ENV)));
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    /** The instant {@value #NOW_ENV} names, if it is set and honoured. */
    public Optional<String> now() {
        return Optional.ofNullable(enabled ? now : null);
    }

    /** The crash point {@value #CRASH_ENV} names, if it is set and honoured. */
    public Optional<String> crashAt() {
        return Optional.ofNullable(enabled ? crashAt : null);
    }

    /** The lines stderr gets at start: one per switch that is set, honoured or ignored; none on a clean host. */
    public List<String> announcements() {
        List<String> lines = new ArrayList<>();
        for (String[] hook : set()) {
            lines.add(
                    enabled
                            ? "installer: TEST HOOK " + hook[0] + "=" + hook[1]
                                    + " is in effect (test only: never set it on a real host)"
                            : "installer: ignoring " + hook[0]
                                    + ": a test-only switch, honoured only under the test suite");
        }
        return lines;
    }

    /** What every install.log line notes while a switch is honoured; empty otherwise. */
    public List<String> logNotes() {
        List<String> notes = new ArrayList<>();
        if (enabled) {
            set().forEach(hook -> notes.add("TEST HOOK " + hook[0] + "=" + hook[1]));
        }
        return notes;
    }

    private List<String[]> set() {
        List<String[]> hooks = new ArrayList<>();
        if (now != null) {
            hooks.add(new String[] {NOW_ENV, now});
        }
        if (crashAt != null) {
            hooks.add(new String[] {CRASH_ENV, crashAt});
        }
        return hooks;
    }
}
