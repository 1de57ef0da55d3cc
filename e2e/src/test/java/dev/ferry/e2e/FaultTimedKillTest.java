package dev.ferry.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults from outside, with no hook: SIGKILL to an upgrade of a 20 MB bundle after seeded random delays (so the kill
 * lands in start-up, streaming, switching or start, wherever the dice say), and two installers started together.
 */
@Tag("slow")
@ExtendWith(FaultLedger.class)
class FaultTimedKillTest {
    private static final long SEED = 20261122L;
    private static final int KILLS = 3;
    /** Runs go on past {@link #KILLS} until one was killed inside the transaction, up to this many in all. */
    private static final int MAX_RUNS = 8;

    private static final int BLOB_MB = 20;

    @TempDir
    Path work;

    @Test
    void upgradeKilledAfterRandomDelaysLeavesTheOldOrTheNewReleaseWhole() throws Exception {
        Random dice = new Random(SEED);
        try (FaultHost host = new FaultHost(work)) {
            Path blob = FaultHost.randomFile(work.resolve("blob"), BLOB_MB, SEED);
            long started = System.nanoTime();
            assertThat(host.run(host.install(host.bigBundle("1.0.0", 1, blob, 1)))
                            .exitCode())
                    .isZero();
            // One full install, timed: the kills below land anywhere within such a run.
            long windowMs = Math.max(1_000, (System.nanoTime() - started) / 1_000_000);
            host.plantMarker();
            String previous = "1.0.0-1";
            int midInstall = 0;
            for (int i = 0; i < MAX_RUNS && (i < KILLS || midInstall == 0); i++) {
                FaultLedger.caseTried();
                long seq = 2 + i;
                String next = "2." + seq + ".0-" + seq;
                Path bundle = host.bigBundle("2." + seq + ".0", seq, blob, 1);
                long delay = 200 + (long) (dice.nextDouble() * windowMs);
                Process p =
                        host.start(Map.of(), work.resolve("out-" + i), work.resolve("err-" + i), host.install(bundle));
                boolean killed = !p.waitFor(delay, TimeUnit.MILLISECONDS);
                if (killed) {
                    p.destroyForcibly(); // bin/installer execs java: this is SIGKILL to the installer itself
                    FaultLedger.faultInjected();
                }
                assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
                if (!killed) {
                    assertThat(p.exitValue())
                            .as(Files.readString(work.resolve("err-" + i)))
                            .isZero();
                }

                JsonNode s = host.status();
                assertThat(s.path("release").asText())
                        .as("kill %d after %d ms: %s", i, delay, s)
                        .isIn(previous, next);
                assertThat(s.path("drift")).as(s.toString()).isEmpty();
                Programs.Run again = host.run(host.install(bundle, "--json"));
                assertThat(again.exitCode()).as(again.toString()).isZero();
                if (s.has("interrupted")) {
                    assertThat(again.stderr())
                            .contains(
                                    "recovered " + InstallerFixture.NAME + ": undid an interrupted install of " + next);
                    FaultLedger.recoveryObserved();
                    midInstall++;
                }
                host.assertWhole(next);
                previous = next;
            }
            // A kill that only ever lands in JVM start-up or after the commit proves nothing about the transaction.
            assertThat(midInstall)
                    .as("runs killed inside the install transaction (an interrupted record left)")
                    .isPositive();
        }
    }

    @Test
    void twoInstallersAtOnceOneRefusedWithExit8AndChangingNothing() throws Exception {
        try (FaultHost host = new FaultHost(work)) {
            Path blob = FaultHost.randomFile(work.resolve("blob"), BLOB_MB, SEED + 1);
            assertThat(host.run(host.install(host.bundle("1.0.0", 1))).exitCode())
                    .isZero();
            host.plantMarker();
            boolean raced = false;
            for (int attempt = 0; attempt < 3 && !raced; attempt++) {
                FaultLedger.caseTried();
                long seq = 2 + attempt;
                String next = "2." + seq + ".0-" + seq;
                Path bundle = host.bigBundle("2." + seq + ".0", seq, blob, 1);
                Path log = host.fx.logDir().resolve("install.log");
                int linesBefore = Files.readAllLines(log).size();
                List<Process> both = new ArrayList<>();
                for (int i = 0; i < 2; i++) {
                    both.add(host.start(
                            Map.of(),
                            work.resolve("race-out-" + attempt + i),
                            work.resolve("race-err-" + attempt + i),
                            host.install(bundle)));
                }
                for (Process p : both) {
                    assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
                }
                List<Integer> codes =
                        both.stream().map(Process::exitValue).sorted().toList();
                if (codes.equals(List.of(0, 0))) {
                    continue; // one finished before the other reached the lock (a slow start): no race, try again
                }
                raced = true;
                FaultLedger.faultInjected();
                assertThat(codes).containsExactly(0, 8);
                int loser = both.get(0).exitValue() == 8 ? 0 : 1;
                String err = Files.readString(work.resolve("race-err-" + attempt + loser));
                long winnerPid = both.get(1 - loser).pid();
                assertThat(err).contains("another install is in progress on this host");
                // The holder writes its pid just after it takes the lock: a loser that looks in between sees none yet.
                if (err.contains("(pid ")) {
                    assertThat(err).contains("(pid " + winnerPid);
                }
                // The refused run changed nothing: the winner's install is whole and logged once, the loser left no
                // line.
                host.assertWhole(next);
                assertThat(Files.readAllLines(log)).hasSize(linesBefore + 1);
            }
            assertThat(raced)
                    .as("two installers started together overlapped at least once in 3 tries")
                    .isTrue();
        }
    }
}
