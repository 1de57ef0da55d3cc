package dev.ferry.e2e;

import static dev.ferry.installer.transaction.CrashPoints.CLEANED;
import static dev.ferry.installer.transaction.CrashPoints.COMMITTED;
import static dev.ferry.installer.transaction.CrashPoints.CONFIG_BACKED_UP;
import static dev.ferry.installer.transaction.CrashPoints.CONFIG_WRITTEN;
import static dev.ferry.installer.transaction.CrashPoints.LOCKED;
import static dev.ferry.installer.transaction.CrashPoints.RESTARTED;
import static dev.ferry.installer.transaction.CrashPoints.STAGING_RECORDED;
import static dev.ferry.installer.transaction.CrashPoints.SWITCH_ASIDE;
import static dev.ferry.installer.transaction.CrashPoints.SWITCH_LINKED;
import static dev.ferry.installer.transaction.CrashPoints.SWITCH_RECORDED;
import static dev.ferry.installer.transaction.CrashPoints.SWITCH_RENAMED;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.e2e.InstallerFixture.BundleOptions;
import dev.ferry.installer.transaction.CrashPoints;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * {@code kill -9} at every named step of install, upgrade, reinstall, register and rollback (and of recovery itself),
 * through the test-only hook {@code FERRY_TEST_CRASH_AT}: the installer really SIGKILLs itself there. After each
 * kill, {@code status} works and tells the truth (the last committed release, and the interrupted transaction), and
 * the same command run again recovers (and says so) and finishes; the host then holds one release, whole: no drift,
 * config and token of that release, agent data intact, exactly one agent running and it is the current one, no
 * debris. The lock the killed run held is free again (an OS lock), although its pid is still written in the file.
 */
@Tag("slow")
@ExtendWith(FaultLedger.class)
@Execution(ExecutionMode.CONCURRENT) // independent hosts; each test is a chain of short single-threaded JVM runs
class FaultCrashPointTest {
    /*
     * Upgrade is killed at every one of its steps. The other actions share most steps' code with it, so to keep the
     * run short they are killed where their undo differs: a first install has no previous config, release or service
     * to put back; a reinstall sets its own release folder aside; register swaps only the token; rollback switches
     * between two kept releases. The first test proves that every point is still killed at by some test here.
     */
    private static final List<String> FIRST_INSTALL =
            List.of(STAGING_RECORDED, CONFIG_WRITTEN, SWITCH_LINKED, RESTARTED, COMMITTED);
    private static final List<String> REINSTALL = List.of(SWITCH_ASIDE, SWITCH_RENAMED, SWITCH_LINKED);
    private static final List<String> REGISTER = List.of(CONFIG_BACKED_UP, CONFIG_WRITTEN, RESTARTED, COMMITTED);
    private static final List<String> ROLLBACK =
            List.of(CONFIG_BACKED_UP, CONFIG_WRITTEN, SWITCH_RECORDED, SWITCH_LINKED, RESTARTED, COMMITTED);
    /**
     * Upgrade's steps, in three chains on three independent hosts, so that the kills of one overlap the runs of
     * another (the class runs its tests side by side): before the switch, the switch, after the start.
     */
    private static final List<String> UPGRADE_BEFORE_SWITCH = CrashPoints.INSTALL.subList(0, 5);

    private static final List<String> UPGRADE_SWITCH = CrashPoints.INSTALL.subList(5, 9);
    private static final List<String> UPGRADE_AFTER_START = CrashPoints.INSTALL.subList(9, CrashPoints.INSTALL.size());

    @TempDir
    Path work;

    @Test
    void everyCrashPointIsKilledAtBySomeTestHere() {
        Set<String> tested = new LinkedHashSet<>(UPGRADE_BEFORE_SWITCH); // upgrade: every step
        tested.addAll(UPGRADE_SWITCH);
        tested.addAll(UPGRADE_AFTER_START);
        assertThat(tested)
                .as("upgrade is killed at every one of its steps")
                .containsExactlyInAnyOrderElementsOf(CrashPoints.INSTALL);
        tested.addAll(REINSTALL);
        tested.addAll(FIRST_INSTALL);
        tested.addAll(REGISTER);
        tested.addAll(ROLLBACK);
        tested.add(CrashPoints.RECOVERY_UNDONE);
        tested.addAll(CrashPoints.TRUST); // killed at in TrustEndToEndTest
        tested.addAll(CrashPoints.DELTA_INSTALL);
        assertThat(tested).containsExactlyInAnyOrderElementsOf(CrashPoints.ALL);
        // Each action is killed only at steps it really passes (else the kill would never come: crashAt checks it).
        assertThat(CrashPoints.INSTALL).containsAll(FIRST_INSTALL);
        assertThat(CrashPoints.REINSTALL).containsAll(REINSTALL);
        assertThat(CrashPoints.REGISTER).containsAll(REGISTER);
        assertThat(CrashPoints.ROLLBACK).containsAll(ROLLBACK);
    }

    @Test
    void upgradeKilledBeforeTheSwitchEndsOnTheOldOrTheNewReleaseWhole() throws Exception {
        upgradeKilledAt(UPGRADE_BEFORE_SWITCH);
    }

    @Test
    void upgradeKilledDuringTheSwitchEndsOnTheOldOrTheNewReleaseWhole() throws Exception {
        upgradeKilledAt(UPGRADE_SWITCH);
    }

    @Test
    void upgradeKilledAfterTheStartEndsOnTheOldOrTheNewReleaseWhole() throws Exception {
        upgradeKilledAt(UPGRADE_AFTER_START);
    }

    /**
     * One chain of upgrades on one host, each killed at the next point. status runs as a process after each kill: that
     * it works and tells the truth then is part of what is proved.
     */
    private void upgradeKilledAt(List<String> points) throws Exception {
        try (FaultHost host = new FaultHost(work)) {
            assertThat(host.run(host.install(host.bundle("1.0.0", 1))).exitCode())
                    .isZero();
            host.plantMarker();
            String previous = "1.0.0-1";
            int i = 0;
            for (String point : points) {
                FaultLedger.caseTried();
                long seq = 2 + i++;
                String version = "2." + seq + ".0";
                String next = version + "-" + seq;
                Path bundle = host.bundle(version, seq);
                host.crashAt(point, host.install(bundle));

                boolean committed = point.equals(COMMITTED) || point.equals(CLEANED);
                JsonNode s = host.status();
                assertThat(s.path("release").asText()).as(point + ": " + s).isEqualTo(committed ? next : previous);
                assertThat(s.path("drift")).as(point + ": " + s).isEmpty();
                assertThat(s.has("interrupted")).as(point + ": " + s).isEqualTo(!committed && !point.equals(LOCKED));
                assertThat(Files.readString(host.fx.root.resolve("var/lib/ferry/.lock"))
                                .strip())
                        .as("the killed run's pid stays in the lock file")
                        .matches("\\d+");

                Programs.Run again = host.run(host.install(bundle, "--json"));
                assertThat(again.exitCode()).as(point + ": " + again).isZero();
                assertRecoveryNoted(again, s, "install of " + next);
                host.assertWhole(next);
                try (Stream<Path> kept =
                        Files.list(host.fx.release().getParent().resolve("releases"))) {
                    assertThat(kept.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder(next, previous);
                }
                previous = next;
            }
        }
    }

    /** SPEC 11: an upgrade from a delta bundle, killed while it composes the release from its base, recovers alike. */
    @Test
    void deltaUpgradeKilledWhileComposingEndsOnTheOldReleaseAndTheRetryIsWhole() throws Exception {
        try (FaultHost host = new FaultHost(work)) {
            Path base = host.bundle("1.0.0", 1);
            assertThat(host.run(host.install(base)).exitCode()).isZero();
            host.plantMarker();
            Path delta = host.delta(BundleOptions.of("1.1.0", 2), base);
            for (String point : List.of(CrashPoints.DELTA_COMPOSING, CrashPoints.DELTA_COMPOSED)) {
                FaultLedger.caseTried();
                host.crashAt(point, host.install(delta));
                JsonNode s = host.status();
                assertThat(s.path("release").asText()).as(point + ": " + s).isEqualTo("1.0.0-1");
                assertThat(s.path("drift")).as(point + ": " + s).isEmpty();
                assertThat(s.has("interrupted")).as(point + ": " + s).isTrue();
                // The retry recovers (undoes the interrupted run) and composes again from the base, which is intact.
                Programs.Run again = host.run(host.install(delta, "--json"));
                assertThat(again.exitCode()).as(point + ": " + again).isZero();
                assertRecoveryNoted(again, s, "install of 1.1.0-2");
                host.assertWhole("1.1.0-2");
                // Back to the base for the next kill.
                assertThat(host.run("rollback").exitCode()).as(point).isZero();
            }
            assertThat(host.run(host.install(delta)).exitCode()).isZero();
            host.assertWhole("1.1.0-2");
        }
    }

    @Test
    void firstInstallKilledLeavesNothingOrTheWholeRelease() throws Exception {
        try (FaultHost host = new FaultHost(work)) {
            Path v1 = host.bundle("1.0.0", 1);
            for (String point : FIRST_INSTALL) {
                FaultLedger.caseTried();
                host.crashAt(point, host.install(v1));
                JsonNode s = host.status();
                boolean committed = point.equals(COMMITTED);
                assertThat(s.path("installed").asBoolean()).as(point + ": " + s).isEqualTo(committed);
                assertThat(s.has("interrupted")).as(point + ": " + s).isEqualTo(!committed);

                Programs.Run again = host.run(host.install(v1, "--json"));
                assertThat(again.exitCode()).as(point + ": " + again).isZero();
                assertRecoveryNoted(again, s, "install of 1.0.0-1");
                host.plantMarker();
                host.assertWhole("1.0.0-1");
                assertThat(host.run("uninstall", "--purge").exitCode()).isZero();
                assertThat(host.agents()).as("uninstall stopped the agent").isEmpty();
            }
        }
    }

    @Test
    void reinstallKilledWhileItsReleaseFolderIsSetAsideGetsItBack() throws Exception {
        try (FaultHost host = new FaultHost(work)) {
            Path v1 = host.bundle("1.0.0", 1);
            assertThat(host.run(host.install(v1)).exitCode()).isZero();
            host.plantMarker();
            for (String point : REINSTALL) {
                FaultLedger.caseTried();
                host.crashAt(point, host.reinstall(v1));
                JsonNode s = host.status();
                assertThat(s.path("release").asText()).isEqualTo("1.0.0-1");
                assertThat(s.has("interrupted")).as(point + ": " + s).isEqualTo(!point.equals(COMMITTED));
                if (!point.equals(SWITCH_ASIDE)) { // set aside, the release folder is honestly missing until recovery
                    assertThat(s.path("drift")).as(point + ": " + s).isEmpty();
                }
                Programs.Run again = host.run(FaultHost.plus(host.reinstall(v1), "--json"));
                assertThat(again.exitCode()).as(point + ": " + again).isZero();
                assertRecoveryNoted(again, s, "reinstall of 1.0.0-1");
                host.assertWhole("1.0.0-1");
            }
        }
    }

    @Test
    void registerKilledAtEveryStepKeepsTheOldTokenOrTheNewOne() throws Exception {
        try (FaultHost host = new FaultHost(work)) {
            assertThat(host.run(host.install(host.bundle("1.0.0", 1))).exitCode())
                    .isZero();
            host.plantMarker();
            String tokenId = "tok-1";
            String tokenText = Files.readString(host.fx.configDir().resolve("token"));
            int i = 0;
            for (String point : REGISTER) {
                FaultLedger.caseTried();
                String id = "reg-" + i++;
                String jwt = InstallerFixture.jwt(
                        id,
                        Instant.now().minus(Duration.ofHours(1)),
                        Instant.now().plus(Duration.ofDays(10)));
                Path file = work.resolve(id + ".token");
                Files.writeString(file, jwt);
                host.rememberToken(id, jwt);
                host.crashAt(point, "register", "--token", file.toString());

                boolean committed = point.equals(COMMITTED);
                JsonNode s = host.status();
                assertThat(s.path("token").path("id").asText())
                        .as(point + ": " + s)
                        .isEqualTo(committed ? id : tokenId);
                if (!committed) {
                    // The token file may already hold the new token; the commit never happened, so recovery puts
                    // the old one back: until then status reports the interrupted register.
                    assertThat(s.has("interrupted")).as(point + ": " + s).isEqualTo(!point.equals(LOCKED));
                }
                Programs.Run again = host.run("register", "--token", file.toString(), "--json");
                assertThat(again.exitCode()).as(point + ": " + again).isZero();
                assertRecoveryNoted(again, s, "register of 1.0.0-1");
                JsonNode after = host.assertWhole("1.0.0-1");
                assertThat(after.path("token").path("id").asText()).isEqualTo(id);
                assertThat(host.fx.configDir().resolve("token")).hasContent(jwt);
                assertThat(jwt).isNotEqualTo(tokenText);
                tokenId = id;
                tokenText = jwt;
            }
        }
    }

    @Test
    void rollbackKilledAtEveryStepEndsOnOneOfTheTwoReleases() throws Exception {
        try (FaultHost host = new FaultHost(work)) {
            assertThat(host.run(host.install(host.bundle("1.0.0", 1))).exitCode())
                    .isZero();
            host.plantMarker();
            assertThat(host.run(host.install(host.bundle("2.0.0", 2))).exitCode())
                    .isZero();
            String from = "2.0.0-2";
            String to = "1.0.0-1";
            for (String point : ROLLBACK) {
                FaultLedger.caseTried();
                host.crashAt(point, "rollback");
                JsonNode s = host.status();
                boolean committed = point.equals(COMMITTED);
                assertThat(s.path("release").asText()).as(point + ": " + s).isEqualTo(committed ? to : from);
                assertThat(s.path("drift")).as(point + ": " + s).isEmpty();
                if (!committed) {
                    assertThat(s.has("interrupted")).as(point + ": " + s).isEqualTo(!point.equals(LOCKED));
                    Programs.Run again = host.run("rollback", "--json");
                    assertThat(again.exitCode()).as(point + ": " + again).isZero();
                    assertRecoveryNoted(again, s, "rollback of " + to);
                }
                // Committed: the run died only before deleting its config backup; the next run clears it.
                JsonNode after = committed ? s : host.assertWhole(to);
                assertThat(after.path("previousRelease").asText()).isEqualTo(from);
                String t = to;
                to = from;
                from = t;
            }
            assertThat(host.run("rollback").exitCode()).isZero();
            host.assertWhole(to);
        }
    }

    @Test
    void aKillDuringRecoveryIsRecoveredByTheNextRun() throws Exception {
        try (FaultHost host = new FaultHost(work)) {
            assertThat(host.run(host.install(host.bundle("1.0.0", 1))).exitCode())
                    .isZero();
            host.plantMarker();
            Path v2 = host.bundle("2.0.0", 2);
            FaultLedger.caseTried();
            host.crashAt(RESTARTED, host.install(v2));
            host.crashAt(CrashPoints.RECOVERY_UNDONE, host.install(v2)); // undone, but not yet recorded as undone
            JsonNode s = host.status();
            assertThat(s.path("release").asText()).isEqualTo("1.0.0-1");
            assertThat(s.path("interrupted").asText()).contains("install of 2.0.0-2");
            Programs.Run again = host.run(host.install(v2, "--json"));
            assertThat(again.exitCode()).as(again.toString()).isZero();
            assertRecoveryNoted(again, s, "install of 2.0.0-2");
            host.assertWhole("2.0.0-2");
        }
    }

    /** The run after a kill says it undid the interrupted transaction, in its output and in install.log. */
    private static void assertRecoveryNoted(Programs.Run run, JsonNode statusBefore, String what) throws Exception {
        if (!statusBefore.has("interrupted")) {
            assertThat(run.stderr()).doesNotContain("recovered");
            return;
        }
        String note = "recovered " + InstallerFixture.NAME + ": undid an interrupted " + what;
        assertThat(run.stderr()).as(run.toString()).contains(note);
        JsonNode notes = FaultHost.json(run).path("notes");
        assertThat(notes.toString()).contains(note);
        FaultLedger.recoveryObserved();
    }
}
