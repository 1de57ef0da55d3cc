package dev.ferry.installer.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.common.ExitCode;
import dev.ferry.common.FerryException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19 item 4 in process: links planted where the layout has folders and files, and folders another account can
 * write, are refused with one line naming the path (exit 4) before a transaction writes anything.
 */
class LayoutGuardTest {
    @TempDir
    Path dir;

    private HostPaths paths;
    private Path elsewhere;

    @BeforeEach
    void host() throws Exception {
        paths = new HostLayout(dir.resolve("root")).agent("bot");
        elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
        for (Path p : paths.writtenFolders()) {
            Files.createDirectories(p);
        }
    }

    @Test
    void aCleanLayoutPasses() {
        assertThatCode(() -> LayoutGuard.check(paths)).doesNotThrowAnyException();
    }

    @Test
    void aLinkedConfigFolderNeverReceivesTheToken() throws Exception {
        Files.delete(paths.configDir());
        Files.createSymbolicLink(paths.configDir(), elsewhere);
        refused(paths.configDir());
    }

    @Test
    void aLinkedReleasesFolderIsRefusedBeforePruningCouldEmptyItsTarget() throws Exception {
        Files.createSymbolicLink(paths.releasesDir(), elsewhere);
        refused(paths.releasesDir());
    }

    @Test
    void linksAtTheLogAndStateFilesAreRefused() throws Exception {
        Files.createSymbolicLink(paths.installLog(), elsewhere.resolve("created-outside"));
        refused(paths.installLog());
        Files.delete(paths.installLog());
        Files.createSymbolicLink(paths.stateFile(), elsewhere.resolve("state.json"));
        refused(paths.stateFile());
    }

    @Test
    void aFolderOthersCanWriteIsRefusedAndSoIsACurrentThatIsNotALink() throws Exception {
        Files.setPosixFilePermissions(paths.logDir(), PosixFilePermissions.fromString("rwxrwxrwx"));
        refused(paths.logDir());
        Files.setPosixFilePermissions(paths.logDir(), PosixFilePermissions.fromString("rwxr-x---"));

        Files.createDirectories(paths.current());
        refused(paths.current());
    }

    private void refused(Path path) {
        assertThatThrownBy(() -> LayoutGuard.check(paths))
                .isInstanceOf(FerryException.class)
                .hasMessageStartingWith("refusing " + path + ": ")
                .hasMessageContaining("nothing changed")
                .satisfies(e -> assertThat(((FerryException) e).exitCode()).isEqualTo(ExitCode.PREFLIGHT));
        assertThat(elsewhere).isEmptyDirectory();
    }
}
