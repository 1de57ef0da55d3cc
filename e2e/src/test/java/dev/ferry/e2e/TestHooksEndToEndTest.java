package dev.ferry.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.bundle.testing.JsonDocument;
import dev.ferry.e2e.InstallerFixture.BundleOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * FERRY_TEST_NOW and FERRY_TEST_CRASH_AT are test-only: on a host (bin/installer as a user runs it) a stray variable
 * changes nothing and stderr says it is ignored; under the test suite's JVM option they work, loudly, on stderr and
 * in install.log.
 */
class TestHooksEndToEndTest {
    @TempDir
    Path work;

    @Test
    void strayVariablesAreIgnoredOnAHostAndHonouredLoudlyUnderTheTests() throws Exception {
        try (InstallerFixture host = new InstallerFixture(work, "none")) {
            Path bundle = host.bundle(BundleOptions.of("1.0.0", 1));
            String afterExpiry =
                    InstallerFixture.CREATED.plus(Duration.ofDays(100)).toString();

            // As a user would: bin/installer with both switches left in the environment, no test option.
            Map<String, String> stray = Map.of(
                    "FERRY_TEST_NOW",
                    afterExpiry,
                    "FERRY_TEST_CRASH_AT",
                    "switch.after-symlink",
                    "HOME",
                    host.home.toString(),
                    "TMPDIR",
                    host.tmp.toString());
            Programs.Run install = Programs.run(
                    stray,
                    Programs.REPO.resolve("bin/installer").toString(),
                    "install",
                    "--bundle",
                    bundle.toString(),
                    "--trust",
                    host.trustPem.toString(),
                    "--skip-selftest",
                    "--root",
                    host.root.toString(),
                    "--service-manager",
                    "none");
            assertThat(install.exitCode())
                    .as("neither an expired clock nor a crash: " + install)
                    .isZero();
            assertThat(install.stderr())
                    .contains("installer: ignoring FERRY_TEST_NOW", "installer: ignoring FERRY_TEST_CRASH_AT");
            assertThat(Files.readString(host.logDir().resolve("install.log"))).doesNotContain("TEST HOOK");

            // Under the tests (Programs.withTestHooks adds -Dferry.testHooks=true): the clock moves, and says so.
            Programs.Run moved = host.installerWithEnv(
                    Map.of("FERRY_TEST_NOW", afterExpiry),
                    "reinstall",
                    "--bundle",
                    bundle.toString(),
                    "--trust",
                    host.trustPem.toString());
            assertThat(moved.exitCode())
                    .as("the bundle is expired at the moved clock: " + moved)
                    .isEqualTo(6);
            assertThat(moved.stderr()).contains("installer: TEST HOOK FERRY_TEST_NOW=" + afterExpiry);
            List<String> log = Files.readAllLines(host.logDir().resolve("install.log"));
            assertThat(JsonDocument.parse(log.get(log.size() - 1)).path("notes").toString())
                    .contains("TEST HOOK FERRY_TEST_NOW=" + afterExpiry);
        }
    }
}
