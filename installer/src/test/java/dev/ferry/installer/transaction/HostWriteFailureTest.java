package dev.ferry.installer.transaction;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.common.ExitCode;
import dev.ferry.common.FerryException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostWriteFailureTest {
    @TempDir
    Path dir;

    @Test
    void aFullDiskWhileStagingIsExit7NamingTheFolderAndSayingNoSpace() {
        // What the bundle verifier throws when the sink's write fails with ENOSPC.
        Exception e = new UncheckedIOException(
                "b.bundle: payload/runtime/blob: cannot store: No space left on device",
                new IOException("No space left on device"));
        RuntimeException failure = HostWriteFailure.undone(e, "2.0.0-2", dir.resolve("opt/ferry/x/releases"));
        assertThat(failure).isInstanceOf(FerryException.class);
        assertThat(((FerryException) failure).exitCode()).isEqualTo(ExitCode.ROLLED_BACK);
        assertThat(failure.getMessage())
                .contains(
                        "2.0.0-2",
                        "no space left on the disk holding " + dir.resolve("opt/ferry/x/releases"),
                        "MiB free");
    }

    @Test
    void readOnlyAndPermissionDeniedAreNamedAndOtherIoKeepsItsMessage() {
        Path folder = dir.resolve("releases");
        assertThat(HostWriteFailure.describe(
                        new FileSystemException(folder + "/.staging-1: Read-only file system"), folder))
                .contains("is read-only", folder.toString());
        assertThat(HostWriteFailure.describe(new AccessDeniedException(folder.toString()), folder))
                .contains("permission denied");
        assertThat(HostWriteFailure.describe(new IOException("Input/output error"), folder))
                .isEqualTo("cannot write under " + folder + ": Input/output error");
    }

    @Test
    void aBundleFaultKeepsItsOwnExitCode() {
        FerryException bad = FerryException.verification("b.bundle: hash mismatch");
        assertThat(HostWriteFailure.undone(bad, "1.0.0-1", dir)).isSameAs(bad);
    }
}
