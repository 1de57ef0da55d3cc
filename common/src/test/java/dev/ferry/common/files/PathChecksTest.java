package dev.ferry.common.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** lstat-based checks of the folders root writes in, on the real file system. */
class PathChecksTest {
    @TempDir
    Path dir;

    @Test
    void aLinkAnywhereBelowTheLayoutRootIsRefusedNamingIt() throws Exception {
        Path root = Files.createDirectories(dir.resolve("opt/ferry"));
        Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
        Files.createDirectories(root.resolve("bot"));
        Files.createSymbolicLink(root.resolve("bot/releases"), elsewhere);

        assertThatThrownBy(() -> PathChecks.ownTree(root, root.resolve("bot/releases/1.0-1/runtime")))
                .isInstanceOf(UnsafePathException.class)
                .hasMessageContaining(root.resolve("bot/releases").toString())
                .hasMessageContaining("symbolic link");
    }

    @Test
    void aLayoutRootMovedToAnotherDiskByALinkIsFineButOnlyIfWhereItLeadsIsSafe() throws Exception {
        Path disk = Files.createDirectories(dir.resolve("data/ferry-state"));
        Files.createDirectories(dir.resolve("var/lib"));
        Path root = Files.createSymbolicLink(dir.resolve("var/lib/ferry"), disk);
        assertThatCode(() -> PathChecks.ownTree(root, root.resolve("bot/state.json")))
                .doesNotThrowAnyException();
        AtomicWriter.createFolders(root.resolve("bot"), FileMode.FOLDER);
        assertThat(disk.resolve("bot")).isDirectory();

        Files.setPosixFilePermissions(dir.resolve("data"), PosixFilePermissions.fromString("rwxrwxrwx"));
        assertThatThrownBy(() -> PathChecks.ownTree(root, root.resolve("bot/state.json")))
                .isInstanceOf(UnsafePathException.class)
                .hasMessageContaining(dir.resolve("data").toString());
    }

    @Test
    void aFolderOthersCanWriteIsRefusedAndAMissingTailIsFine() throws Exception {
        Path root = Files.createDirectories(dir.resolve("var/log/ferry"));
        Path agent = Files.createDirectories(root.resolve("bot"));
        assertThatCode(() -> PathChecks.ownTree(root, agent.resolve("not/yet/there.log")))
                .doesNotThrowAnyException();

        Files.setPosixFilePermissions(agent, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertThatThrownBy(() -> PathChecks.ownTree(root, agent.resolve("install.log")))
                .isInstanceOf(UnsafePathException.class)
                .hasMessageContaining(agent.toString())
                .hasMessageContaining("0777")
                .hasMessageContaining("chmod go-w");
    }

    @Test
    void aHostFolderMayBeStickyLikeTmpButNotWorldWritable() throws Exception {
        Path host = Files.createDirectories(dir.resolve("host"));
        Path layoutRoot = Files.createDirectories(host.resolve("var/lib/ferry"));
        assertThatCode(() -> PathChecks.hostFolders(layoutRoot)).doesNotThrowAnyException(); // /tmp above is 1777

        Files.setPosixFilePermissions(host.resolve("var"), PosixFilePermissions.fromString("rwxrwxrwx"));
        assertThatThrownBy(() -> PathChecks.hostFolders(layoutRoot))
                .isInstanceOf(UnsafePathException.class)
                .hasMessageContaining(host.resolve("var").toString());
        assertThat(Files.isDirectory(layoutRoot)).isTrue();
    }
}
