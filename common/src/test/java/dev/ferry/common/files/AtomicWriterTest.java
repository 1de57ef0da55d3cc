package dev.ferry.common.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one writer on the real file system: modes from creation, links never followed, one-line failures. */
class AtomicWriterTest {
    @TempDir
    Path dir;

    @Test
    void aFileGetsExactlyItsModeAndNoTemporaryFileIsLeft() throws Exception {
        Path secret = dir.resolve("config/token");
        AtomicWriter.write(secret, "s3cret".getBytes(StandardCharsets.UTF_8), FileMode.SECRET);
        AtomicWriter.write(secret, "s3cret-2".getBytes(StandardCharsets.UTF_8), FileMode.SECRET);
        Path wide = dir.resolve("config/state.json");
        AtomicWriter.write(wide, "{}".getBytes(StandardCharsets.UTF_8), FileMode.READABLE);

        assertThat(secret).hasContent("s3cret-2");
        assertThat(mode(secret)).isEqualTo("rw-------");
        assertThat(mode(wide)).isEqualTo("rw-r--r--");
        assertThat(mode(dir.resolve("config"))).isEqualTo("rwxr-xr-x");
        try (Stream<Path> entries = Files.list(dir.resolve("config"))) {
            assertThat(entries.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("token", "state.json");
        }
    }

    /**
     * Many files in one tree: the mode is set again only where the create call lost bits. The test JVM's umask takes
     * group and others' write bits (022 on any sane runner), so 0666 and 0777 take the slow path and the others not;
     * each file must come out exactly as asked either way, and a link at the name is still never followed.
     */
    @Test
    void filesCreatedKnowingWhatTheUmaskTakesGetExactlyTheirMode() throws Exception {
        int narrowed = AtomicWriter.narrowedBits(dir);
        try (Stream<Path> entries = Files.list(dir)) {
            assertThat(entries).as("the probe file is gone").isEmpty();
        }
        for (int bits : new int[] {0600, 0644, 0755, 0700, 0666, 0777, 0640}) {
            Path file = dir.resolve("f" + Integer.toOctalString(bits));
            AtomicWriter.createNew(file, new FileMode(bits), narrowed).close();
            assertThat(FileMode.of(Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS))
                            .bits())
                    .as(file.toString())
                    .isEqualTo(bits);
        }
        Path victim = Files.writeString(dir.resolve("victim"), "untouched");
        Path link = Files.createSymbolicLink(dir.resolve("link"), victim);
        assertThatThrownBy(() -> AtomicWriter.createNew(link, FileMode.READABLE, narrowed))
                .isInstanceOf(FileAlreadyExistsException.class);
        assertThat(victim).hasContent("untouched");
    }

    @Test
    void aLinkPlantedAtTheTargetIsReplacedNeverWrittenThrough() throws Exception {
        Path victim = Files.writeString(dir.resolve("victim"), "untouched");
        Path target = dir.resolve("install.json");
        Files.createSymbolicLink(target, victim);

        AtomicWriter.write(target, "new".getBytes(StandardCharsets.UTF_8), FileMode.SECRET);

        assertThat(victim).hasContent("untouched");
        assertThat(Files.isSymbolicLink(target)).isFalse();
        assertThat(target).hasContent("new");
    }

    @Test
    void createNewRefusesAnythingAtTheNameAndAppendRefusesALink() throws Exception {
        Path victim = Files.writeString(dir.resolve("victim"), "untouched");
        Path link = dir.resolve("install.log");
        Files.createSymbolicLink(link, victim);

        assertThatThrownBy(() -> AtomicWriter.createNew(link, FileMode.SECRET))
                .isInstanceOf(FileAlreadyExistsException.class);
        assertThatThrownBy(() -> AtomicWriter.append(link, FileMode.GROUP_READABLE))
                .isInstanceOf(UnsafePathException.class)
                .hasMessageContaining(link.toString())
                .hasMessageContaining("symbolic link");
        assertThatThrownBy(() -> AtomicWriter.setMode(link, FileMode.SECRET)).isInstanceOf(UnsafePathException.class);
        assertThat(victim).hasContent("untouched");
        assertThat(mode(victim)).isNotEqualTo("rw-------");
    }

    @Test
    void appendRefusesAHardLinkPlantedAtTheName() throws Exception {
        Path victim = Files.writeString(dir.resolve("passwd"), "root:x:0:0\n");
        Path log = dir.resolve("install.log");
        Files.createLink(log, victim);
        assertThatThrownBy(() -> AtomicWriter.append(log, FileMode.GROUP_READABLE))
                .isInstanceOf(UnsafePathException.class)
                .hasMessageContaining("hard links");
        assertThat(victim).hasContent("root:x:0:0");
    }

    @Test
    void appendCreatesTheFileWithItsModeAndThenAppends() throws Exception {
        Path log = dir.resolve("logs/install.log");
        for (String line : new String[] {"one\n", "two\n"}) {
            try (OutputStream out = AtomicWriter.append(log, FileMode.GROUP_READABLE)) {
                out.write(line.getBytes(StandardCharsets.UTF_8));
            }
        }
        assertThat(log).hasContent("one\ntwo");
        assertThat(mode(log)).isEqualTo("rw-r-----");
    }

    @Test
    void foldersGetTheirModeWhateverIsAskedAndALinkInsteadOfAFolderIsRefused() throws Exception {
        AtomicWriter.createFolders(dir.resolve("a/b/private"), FileMode.PRIVATE_FOLDER);
        assertThat(mode(dir.resolve("a"))).isEqualTo("rwxr-xr-x");
        assertThat(mode(dir.resolve("a/b/private"))).isEqualTo("rwx------");

        Path elsewhere = Files.createDirectory(dir.resolve("elsewhere"));
        Files.createSymbolicLink(dir.resolve("releases"), elsewhere);
        assertThatThrownBy(() -> AtomicWriter.createFolder(dir.resolve("releases"), FileMode.FOLDER))
                .isInstanceOf(UnsafePathException.class)
                .hasMessageContaining(dir.resolve("releases").toString());
    }

    @Test
    void aFailedWriteIsOneLineNamingThePathAndTheCauseAndLeavesNothing() throws Exception {
        Path notAFolder = Files.writeString(dir.resolve("state"), "a file");
        Path target = notAFolder.resolve("state.json");
        assertThatThrownBy(() -> AtomicWriter.write(target, new byte[] {1}, FileMode.READABLE))
                .isInstanceOf(FileFailure.class)
                .hasMessageContaining(notAFolder.toString())
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n", "Exception"));

        Path busy = Files.createDirectories(dir.resolve("busy/inside"));
        assertThatThrownBy(() -> AtomicWriter.write(busy.getParent(), new byte[] {1}, FileMode.READABLE))
                .isInstanceOf(FileFailure.class)
                .hasMessageStartingWith("cannot write " + busy.getParent() + ": ")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n", "Exception"));
        try (Stream<Path> entries = Files.list(dir)) {
            assertThat(entries).containsExactlyInAnyOrder(notAFolder, busy.getParent());
        }
    }

    @Test
    void anAbandonedStagedWriteLeavesTheTargetAndNoTemporaryFile() throws Exception {
        Path target = Files.writeString(dir.resolve("kit.run"), "old");
        try (AtomicWriter.Staged staged = AtomicWriter.stage(target, FileMode.SECRET)) {
            staged.stream().write("half".getBytes(StandardCharsets.UTF_8));
            assertThat(mode(staged.temporaryFile())).isEqualTo("rw-------");
        }
        assertThat(target).hasContent("old");
        try (Stream<Path> entries = Files.list(dir)) {
            assertThat(entries).containsExactly(target);
        }
    }

    @Test
    void aModeNeverCarriesSetuidSetgidOrSticky() {
        assertThat(FileMode.parse("4755")).isEqualTo(FileMode.EXECUTABLE);
        assertThat(FileMode.parse("0640").toString()).isEqualTo("0640");
        assertThat(FileMode.of(PosixFilePermissions.fromString("rwxr-x---"))).isEqualTo(FileMode.GROUP_FOLDER);
        assertThatThrownBy(() -> new FileMode(04755)).isInstanceOf(IllegalArgumentException.class);
    }

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
    }
}
