package dev.ferry.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The self-contained images that `mvn package` builds with jlink and jpackage (dist/target/images). */
@Tag("slow")
class ImageTest {
    @TempDir
    static Path work;

    static NoJavaHost host;

    @BeforeAll
    static void noJava() throws IOException {
        NoJavaHost.assumeImagesBuilt();
        host = new NoJavaHost(work);
    }

    @Test
    void bothImagesRunOnAHostWithNoJava() {
        for (String program : new String[] {"bundler", "installer"}) {
            Programs.Run version = host.run(
                    work, NoJavaHost.IMAGES.resolve(program + "/bin/" + program).toString(), "--version");
            assertThat(version.exitCode()).as(version.toString()).isZero();
            assertThat(version.stdout()).startsWith(program + " (Ferry) ");
            assertThat(version.stderr()).isEmpty();
        }
    }

    @Test
    void theInstallerImageCarriesNoBouncyCastle() throws IOException {
        assertThat(jarNames("installer")).isNotEmpty().noneMatch(name -> name.startsWith("bc"));
        assertThat(jarNames("bundler"))
                .as("the same search finds it in the bundler")
                .anyMatch(name -> name.startsWith("bcprov"));
    }

    @Test
    void theInstallerTrustsKeysEmbeddedBesideItsJars() throws IOException {
        assertThat(Files.readString(NoJavaHost.IMAGES.resolve("installer/lib/app/installer.cfg")))
                .contains("-Dferry.embeddedTrustDir=$APPDIR/trust.d");
    }

    /**
     * Each image starts from its class cache at its own place: a CDS archive on Java 17, an AOT cache from Java 25 on
     * (the bundler's image where Temurin 25 was found at build time). The strict option makes the JVM fail rather
     * than start without its cache, and FERRY_JAVA_OPTS comes last on the launcher's command line, so it decides.
     */
    @Test
    void eachImageStartsFromItsClassCacheAtItsOwnPlace() throws IOException {
        for (String program : new String[] {"bundler", "installer"}) {
            Path image = NoJavaHost.IMAGES.resolve(program);
            ClassCache cache = ClassCache.of(image);
            assertThat(image.resolve("lib/app/" + program + cache.suffix())).isNotEmptyFile();
            Programs.Run version =
                    host.run(work, Map.of("FERRY_JAVA_OPTS", cache.required()), launcher(image, program), "--version");
            assertThat(version.exitCode()).as(version.toString()).isZero();
            assertThat(version.stderr()).isEmpty();

            Programs.Run without = host.run(
                    work,
                    Map.of("FERRY_JAVA_OPTS", cache.required() + " " + cache.named(work.resolve("none"))),
                    launcher(image, program),
                    "--version");
            assertThat(without.exitCode())
                    .as(program + ": the same check fails without a cache: " + without)
                    .isNotZero();
        }
    }

    /**
     * Each image's launcher carries the JIT's options of bin/jit.options, and those of aot-jit.options exactly when it
     * starts from an AOT cache: on Java 17 without one they make a create 18 % slower.
     */
    @Test
    void eachImageTunesTheJitForItsClassCache() throws IOException {
        List<String> everywhere = cfgLines(Programs.REPO.resolve("bin/jit.options"));
        List<String> withAot = cfgLines(Programs.REPO.resolve("dist/src/main/sh/aot-jit.options"));
        assertThat(withAot).isNotEmpty().doesNotContainAnyElementsOf(everywhere);
        for (String program : new String[] {"bundler", "installer"}) {
            Path image = NoJavaHost.IMAGES.resolve(program);
            List<String> cfg = Files.readAllLines(image.resolve("lib/app/" + program + ".cfg"));
            assertThat(cfg).as(program).containsAll(everywhere);
            if (ClassCache.of(image) == ClassCache.AOT) {
                assertThat(cfg).as(program).containsAll(withAot);
            } else {
                assertThat(cfg).as(program).doesNotContainAnyElementsOf(withAot);
            }
        }
    }

    /**
     * The options in a file of JVM options (one per line, blank lines and # comments skipped, as the launchers read
     * it) as jpackage writes them into an image's cfg.
     */
    private static List<String> cfgLines(Path file) throws IOException {
        return Files.readAllLines(file).stream()
                .map(String::strip)
                .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                .map(option -> "java-options=" + option)
                .toList();
    }

    /**
     * An AOT cache names the class path it was made with, and the JVM substitutes the common prefix: a copy of the
     * image elsewhere that keeps the files' times (cp -a, tar) starts from its cache too. (A CDS archive of Java 17
     * does not; the Debian package dumps the installer's again where it installs it.)
     */
    @Test
    void aCopyOfTheBundlersImageElsewhereKeepsItsAotCache() throws IOException {
        Path image = NoJavaHost.IMAGES.resolve("bundler");
        ClassCache cache = ClassCache.of(image);
        Assumptions.assumeTrue(cache == ClassCache.AOT, "the bundler's image was built on Java 17: a CDS archive");
        Path copy = work.resolve("elsewhere/bundler");
        Files.createDirectories(copy.getParent());
        Programs.Run cp = Programs.run(Map.of(), "cp", "-a", image.toString(), copy.toString());
        assertThat(cp.exitCode()).as(cp.toString()).isZero();

        Programs.Run version =
                host.run(work, Map.of("FERRY_JAVA_OPTS", cache.required()), launcher(copy, "bundler"), "--version");

        assertThat(version.exitCode()).as(version.toString()).isZero();
    }

    private static String launcher(Path image, String program) {
        return image.resolve("bin/" + program).toString();
    }

    /** How an image's runtime keeps classes between runs, and the JVM options that require or name that cache. */
    private enum ClassCache {
        CDS(".jsa", "-Xshare:on", "-XX:SharedArchiveFile="),
        AOT(".aot", "-XX:AOTMode=on", "-XX:AOTCache=");

        private final String suffix;
        private final String required;
        private final String option;

        ClassCache(String suffix, String required, String option) {
            this.suffix = suffix;
            this.required = required;
            this.option = option;
        }

        /** From the runtime's release file: Java 25 and later start from an AOT cache (build-image.sh). */
        static ClassCache of(Path image) throws IOException {
            Matcher release = Pattern.compile("(?m)^JAVA_VERSION=\"(\\d+)")
                    .matcher(Files.readString(image.resolve("lib/runtime/release")));
            assertThat(release.find())
                    .as("JAVA_VERSION in " + image + "/lib/runtime/release")
                    .isTrue();
            return Integer.parseInt(release.group(1)) >= 25 ? AOT : CDS;
        }

        String suffix() {
            return suffix;
        }

        String required() {
            return required;
        }

        String named(Path file) {
            return option + file + suffix;
        }
    }

    /**
     * The launcher starts the image's own runtime (not jpackage's native launcher, which asks rpm and dpkg about
     * itself at every start), also through a link elsewhere, as /usr/bin/installer is in the Debian package.
     */
    @Test
    void theLauncherRunsTheImagesOwnRuntimeAlsoThroughALink() throws IOException {
        Path launcher = NoJavaHost.IMAGES.resolve("installer/bin/installer");
        assertThat(Files.readString(launcher)).startsWith("#!/bin/sh\n").contains("/lib/runtime/bin/java");
        Path link = Files.createSymbolicLink(
                Files.createDirectories(work.resolve("usr-bin")).resolve("installer"), launcher);
        Programs.Run version =
                Programs.run(Map.of("FERRY_JAVA_OPTS", "-XshowSettings:properties"), link.toString(), "--version");
        assertThat(version.exitCode()).as(version.toString()).isZero();
        assertThat(version.stdout()).startsWith("installer (Ferry) ");
        assertThat(version.stderr())
                .contains("java.home = "
                        + NoJavaHost.IMAGES.resolve("installer/lib/runtime").toRealPath())
                .contains("ferry.embeddedTrustDir = "
                        + NoJavaHost.IMAGES.resolve("installer/lib/app").toRealPath() + "/trust.d");
    }

    @Test
    void bashCompletionIsShippedAndCompletesSubcommands() {
        Path completion = NoJavaHost.IMAGES.resolve("installer/share/bash-completion/completions/installer");
        Programs.Run bash = Programs.run(
                Map.of(),
                "bash",
                "-c",
                "source '" + completion + "'; complete -p installer;"
                        + " COMP_WORDS=(installer ins); COMP_CWORD=1; COMP_LINE='installer ins'; COMP_POINT=13;"
                        + " _complete_installer; echo \"${COMPREPLY[*]}\"");
        assertThat(bash.exitCode()).as(bash.toString()).isZero();
        assertThat(bash.stdout()).contains("-F _complete_installer installer").endsWith("install\n");
        assertThat(NoJavaHost.IMAGES.resolve("bundler/share/bash-completion/completions/bundler"))
                .isNotEmptyFile();
    }

    @Test
    void manPageSourcesAreShippedForEveryCommand() {
        Path man = NoJavaHost.IMAGES.resolve("installer/share/doc/installer/man");
        assertThat(man.resolve("installer.adoc"))
                .content()
                .contains(":doctype: manpage")
                .contains("= installer(1)");
        assertThat(man.resolve("installer-install.adoc")).content().contains("*--skip-selftest*");
        assertThat(NoJavaHost.IMAGES.resolve("bundler/share/doc/bundler/man/bundler-kit.adoc"))
                .content()
                .contains("*--trust*");
        // Rendered to troff as well, for `man -l` (or MANPATH=IMAGE/share/man man installer-install).
        assertThat(NoJavaHost.IMAGES.resolve("installer/share/man/man1/installer-install.1"))
                .content()
                .startsWith("'\\\" t")
                .contains(".TH \"INSTALLER\\-INSTALL\" \"1\"")
                .contains("skip\\-selftest");
        assertThat(NoJavaHost.IMAGES.resolve("bundler/share/man/man1/bundler-create.1"))
                .exists();
    }

    private static List<String> jarNames(String program) throws IOException {
        try (Stream<Path> files = Files.walk(NoJavaHost.IMAGES.resolve(program))) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".jar"))
                    .toList();
        }
    }
}
