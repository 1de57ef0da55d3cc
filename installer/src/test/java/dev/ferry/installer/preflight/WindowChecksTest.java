package dev.ferry.installer.preflight;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.bundle.Manifest;
import dev.ferry.bundle.TokenInfo;
import dev.ferry.common.ExitCode;
import dev.ferry.installer.check.Cause;
import dev.ferry.installer.check.Check;
import dev.ferry.installer.check.CheckReport;
import dev.ferry.installer.check.Result;
import dev.ferry.installer.host.InstallState;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Time windows and ordering, against a fixed clock. */
class WindowChecksTest {
    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final TokenInfo TOKEN = new TokenInfo(
            "tok-7",
            Instant.parse("2026-11-22T00:00:00Z"),
            Instant.parse("2026-11-29T00:00:00Z"),
            "payload/secrets/token");

    @Test
    void tokenInsideItsWindowPassesWithDaysLeft() {
        Check c = WindowChecks.tokenWindow(TOKEN, CLOCK.instant());
        assertThat(c.result()).isEqualTo(Result.PASS);
        assertThat(c.evidence()).contains("tok-7", "3 days left");
    }

    @Test
    void tokenBeforeOrAfterItsWindowFailsWithTheRegisterRemedy() {
        Check early = WindowChecks.tokenWindow(TOKEN, Instant.parse("2026-11-21T23:59:59Z"));
        assertThat(early.result()).isEqualTo(Result.FAIL);
        assertThat(early.cause()).isEqualTo(Cause.TOKEN_NOT_YET_VALID);
        Check late = WindowChecks.tokenWindow(TOKEN, TOKEN.notAfter());
        assertThat(late.cause()).isEqualTo(Cause.TOKEN_EXPIRED);
        assertThat(late.remedy())
                .isEqualTo("regenerate the token on the platform and run installer register --token FILE");
        assertThat(WindowChecks.tokenWindow(null, NOW).result()).isEqualTo(Result.SKIP);
    }

    @Test
    void bundleExpiryFailsForANewBundleButOnlyWarnsForTheInstalledOne() {
        Manifest expired = manifest(5, Instant.parse("2026-11-25T11:59:59Z"));
        assertThat(WindowChecks.bundleExpiry(expired, null, NOW).cause()).isEqualTo(Cause.BUNDLE_EXPIRED);
        assertThat(WindowChecks.bundleExpiry(expired, null, NOW).result()).isEqualTo(Result.FAIL);
        InstallState installed = installed(5, Instant.parse("2026-11-01T00:00:00Z"));
        assertThat(WindowChecks.bundleExpiry(null, installed, NOW).result()).isEqualTo(Result.WARN);
        assertThat(WindowChecks.bundleExpiry(manifest(5, NOW.plusSeconds(86400 * 10)), null, NOW)
                        .evidence())
                .contains("10 days left");
    }

    @Test
    void aLowerSequenceFailsUnlessDowngradeIsAllowed() {
        InstallState installed = installed(42, NOW.plusSeconds(1000));
        assertThat(WindowChecks.sequence(manifest(41, NOW.plusSeconds(10)), installed, false)
                        .cause())
                .isEqualTo(Cause.SEQUENCE_ROLLBACK);
        assertThat(WindowChecks.sequence(manifest(41, NOW.plusSeconds(10)), installed, true)
                        .result())
                .isEqualTo(Result.WARN);
        assertThat(WindowChecks.sequence(manifest(42, NOW.plusSeconds(10)), installed, false)
                        .result())
                .isEqualTo(Result.PASS);
        assertThat(WindowChecks.sequence(manifest(1, NOW.plusSeconds(10)), null, false)
                        .result())
                .isEqualTo(Result.PASS);
    }

    @Test
    void validityFailuresExitSixOtherFailuresFourAndIgnoredOnesPass() {
        Check disk = Check.fail("disk", Cause.DISK_SPACE, "/: 1 MB free", "free space", 0);
        Check token = Check.fail("token-window", Cause.TOKEN_EXPIRED, "expired", "register", 0);
        assertThat(PreflightVerdict.exitCode(new CheckReport(List.of(disk)))).isEqualTo(ExitCode.PREFLIGHT);
        assertThat(PreflightVerdict.exitCode(new CheckReport(List.of(disk, token))))
                .isEqualTo(ExitCode.VALIDITY);
        CheckReport ignored = PreflightVerdict.ignoring(new CheckReport(List.of(disk)), Set.of("disk"));
        assertThat(PreflightVerdict.exitCode(ignored)).isEqualTo(ExitCode.OK);
        assertThat(ignored.checks().get(0).result()).isEqualTo(Result.WARN);
        assertThat(PreflightVerdict.ignoredFailures(new CheckReport(List.of(disk, token)), Set.of("disk", "os")))
                .containsExactly("disk");
    }

    static Manifest manifest(long sequence, Instant expires) {
        return new Manifest(
                Manifest.FORMAT,
                "bot",
                "1." + sequence,
                sequence,
                expires.minusSeconds(86400 * 90),
                expires,
                null,
                null,
                List.of());
    }

    static InstallState installed(long sequence, Instant expires) {
        return InstallState.empty("bot")
                .committed(
                        new InstallState.ReleaseRecord(
                                "1." + sequence + "-" + sequence,
                                "1." + sequence,
                                sequence,
                                "p",
                                "h",
                                List.of(),
                                expires,
                                NOW),
                        null,
                        null,
                        "none",
                        null);
    }
}
