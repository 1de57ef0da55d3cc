package dev.ferry.installer.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.common.ExitCode;
import dev.ferry.common.FerryException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The host lock on a real filesystem: OS file locks do not exist in Jimfs. */
class HostLockTest {
    @TempDir
    Path root;

    @Test
    void aSecondHolderIsRefusedWithExitEightNamingThePidAndTheLockIsFreeAfterClose() throws Exception {
        Path lockFile = new HostLayout(root).lockFile();
        try (HostLock first = HostLock.acquire(lockFile)) {
            assertThat(Files.readString(lockFile).strip())
                    .isEqualTo(String.valueOf(ProcessHandle.current().pid()));
            assertThatThrownBy(() -> HostLock.acquire(lockFile))
                    .isInstanceOf(FerryException.class)
                    .hasMessageContaining("another install is in progress")
                    .hasMessageContaining("pid " + ProcessHandle.current().pid())
                    .satisfies(e -> assertThat(((FerryException) e).exitCode()).isEqualTo(ExitCode.LOCKED));
        }
        try (HostLock again = HostLock.acquire(lockFile)) {
            assertThat(again).isNotNull();
        }
    }
}
