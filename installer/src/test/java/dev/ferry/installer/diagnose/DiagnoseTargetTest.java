package dev.ferry.installer.diagnose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.common.ExitCode;
import dev.ferry.common.FerryException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The archive lands by renaming it over {@code --out}: a name that is a link, a fifo or a device is refused (exit 2)
 * and left as it was, before anything is collected. (Found by hand: as root, {@code --out /dev/full} replaced the
 * device with the archive and said "wrote /dev/full".)
 */
class DiagnoseTargetTest {
    @TempDir
    Path dir;

    @Test
    void aLinkOrAFifoAtTheOutputNameIsRefusedAndKept() throws Exception {
        Path victim = Files.writeString(dir.resolve("victim"), "not an archive\n");
        Path link = Files.createSymbolicLink(dir.resolve("support.tar.gz"), victim);
        assertRefused(link);
        assertThat(Files.isSymbolicLink(link)).isTrue();
        assertThat(victim).hasContent("not an archive\n");

        Path fifo = dir.resolve("fifo.tar.gz");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor(10, TimeUnit.SECONDS))
                .isTrue();
        assertRefused(fifo);
        assertThat(Files.isRegularFile(fifo)).isFalse();
        assertThat(Files.exists(fifo)).isTrue();
        try (Stream<Path> left = Files.list(dir)) {
            assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(".diagnose-"));
        }
    }

    private static void assertRefused(Path target) {
        assertThatThrownBy(() -> DiagnoseArchive.write(target, null, Optional.empty()))
                .isInstanceOfSatisfying(FerryException.class, e -> {
                    assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE);
                    assertThat(e.getMessage()).contains("is not a regular file").doesNotContain("\n");
                });
    }
}
