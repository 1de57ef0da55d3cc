package dev.ferry.installer.transaction;

import dev.ferry.common.FerryException;
import dev.ferry.installer.check.Check;
import dev.ferry.installer.check.CheckReport;
import dev.ferry.installer.host.HostLayout;
import dev.ferry.installer.host.HostLock;
import dev.ferry.installer.host.HostPaths;
import dev.ferry.installer.host.InstallState.SelfTestRecord;
import dev.ferry.installer.host.StateStore;
import java.time.Clock;

/**
 * Records a standalone {@code selftest} run in state.json for {@code status}. Only when the host lock is free: a
 * self-test must never wait for, or disturb, a running install (which records its own).
 */
public final class SelfTestRecorder {
    private SelfTestRecorder() {}

    public static boolean record(HostLayout layout, HostPaths paths, CheckReport report, Clock clock) {
        try (HostLock lock = HostLock.acquire(layout.lockFile())) {
            return StateStore.read(paths)
                    .filter(s -> s.current() != null && s.pending() == null)
                    .map(s -> {
                        StateStore.write(
                                paths,
                                s.withSelfTest(new SelfTestRecord(
                                        clock.instant(),
                                        report.passed() ? SelfTestRecord.PASS : SelfTestRecord.FAIL,
                                        report.failures().stream()
                                                .map(Check::id)
                                                .toList())));
                        return true;
                    })
                    .orElse(false);
        } catch (FerryException locked) {
            return false;
        }
    }
}
