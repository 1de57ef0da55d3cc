package dev.ferry.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The self-contained images that `mvn package` builds with jlink and jpackage (dist/target/images). */
@Tag("slow")
class ImageTest {
    @TempDir static Path work;
    static NoJavaHost host;

    @BeforeAll
    static void noJava() throws IOException {
        NoJavaHost.assumeImagesBuilt();
        host = new NoJavaHost(work);
    }

    @Test
    void bothImagesRunOnAHostWithNoJava() {
        for (String program : new String[] {"bundler", "installer"}) {
            Programs.Run version = host.run(work, NoJavaHost.IMAGES.resolve(program + "/bin/" + program).toString(), "--version");
            assertThat(version.exitCode()).as(version.toString()).isZero();
            assertThat(version.stdout()).startsWith(program + " (Ferry) ");
            assertThat(version.stderr()).isEmpty();
        }
    }

    @Test
    void theInstallerImageCarriesNoBouncyCastle() throws IOException {
        assertThat(jarNames("installer")).isNotEmpty().noneMatch(name -> name.startsWith("bc"));
        assertThat(jarNames("bundler")).as("the same search finds it in the bundler").anyMatch(name -> name.startsWith("bcprov"));
    }

    @Test
    void theInstallerTrustsKeysEmbeddedBesideItsJars() throws IOException {
        assertThat(Files.readString(NoJavaHost.IMAGES.resolve("installer/lib/app/installer.cfg")))
                .contains("-Dferry.embeddedTrustDir=$APPDIR/trust.d");
    }

    /** -Xshare:on makes the JVM fail rather than start without the archive: so it starts with it. */
    @Test
    void theClassDataSharingArchiveIsUsedAtTheImagesOwnPlace() {
        for (String program : new String[] {"bundler", "installer"}) {
            assertThat(NoJavaHost.IMAGES.resolve(program + "/lib/app/" + program + ".jsa")).isNotEmptyFile();
            Programs.Run version = host.run(work, Map.of("JAVA_TOOL_OPTIONS", "-Xshare:on"),
                    NoJavaHost.IMAGES.resolve(program + "/bin/" + program).toString(), "--version");
            assertThat(version.exitCode()).as(version.toString()).isZero();
        }
    }

    @Test
    void bashCompletionIsShippedAndCompletesSubcommands() {
        Path completion = NoJavaHost.IMAGES.resolve("installer/share/bash-completion/completions/installer");
        Programs.Run bash = Programs.run(Map.of(), "bash", "-c", "source '" + completion + "'; complete -p installer;"
                + " COMP_WORDS=(installer ins); COMP_CWORD=1; COMP_LINE='installer ins'; COMP_POINT=13;"
                + " _complete_installer; echo \"${COMPREPLY[*]}\"");
        assertThat(bash.exitCode()).as(bash.toString()).isZero();
        assertThat(bash.stdout()).contains("-F _complete_installer installer").endsWith("install\n");
        assertThat(NoJavaHost.IMAGES.resolve("bundler/share/bash-completion/completions/bundler")).isNotEmptyFile();
    }

    @Test
    void manPageSourcesAreShippedForEveryCommand() {
        Path man = NoJavaHost.IMAGES.resolve("installer/share/doc/installer/man");
        assertThat(man.resolve("installer.adoc")).content().contains(":doctype: manpage").contains("= installer(1)");
        assertThat(man.resolve("installer-install.adoc")).content().contains("*--skip-selftest*");
        assertThat(NoJavaHost.IMAGES.resolve("bundler/share/doc/bundler/man/bundler-kit.adoc")).content().contains("*--trust*");
    }

    private static java.util.List<String> jarNames(String program) throws IOException {
        try (Stream<Path> files = Files.walk(NoJavaHost.IMAGES.resolve(program))) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".jar")).toList();
        }
    }
}
