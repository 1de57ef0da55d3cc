package dev.ferry.installer.preflight;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import dev.ferry.installer.check.Cause;
import dev.ferry.installer.check.Check;
import dev.ferry.installer.check.Result;
import dev.ferry.installer.host.HostLayout;
import dev.ferry.installer.host.HostPaths;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

class DiskCheckTest {
    @Test
    void judgesMissingFoldersByTheirNearestExistingAncestorAndAddsTheBundleToTheInstallFilesystem() throws Exception {
        // A 64 MiB filesystem: the install, config, data and log folders do not exist yet.
        try (FileSystem fs = Jimfs.newFileSystem(
                Configuration.unix().toBuilder().setMaxSize(64L << 20).build())) {
            HostPaths paths = new HostLayout(fs.getPath("/stage")).agent("bot");
            Files.createDirectories(fs.getPath("/stage"));
            Check fits = DiskCheck.run(paths.writtenFolders(), paths.installBase(), 16, 10L << 20);
            assertThat(fits.result()).as(fits.toString()).isEqualTo(Result.PASS);
            assertThat(fits.evidence()).contains("/stage", "needs 26 MB");

            Check tooBig = DiskCheck.run(paths.writtenFolders(), paths.installBase(), 16, 60L << 20);
            assertThat(tooBig.result()).isEqualTo(Result.FAIL);
            assertThat(tooBig.cause()).isEqualTo(Cause.DISK_SPACE);
            assertThat(tooBig.remedy()).contains("/stage", "minFreeDiskMb 16", "bundle 60 MB");
        }
    }
}
