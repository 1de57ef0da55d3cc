package dev.ferry.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The installer as a Debian package (SPEC section 13), checked with Debian's own tools: lintian finds no error,
 * every file is in its Debian place, and in a throwaway copy of this machine's root without Java ({@link
 * SystemdContainer#throwawayRoot}) {@code dpkg -i} installs it, {@code installer --version} runs from the PATH with
 * the class-data archive postinst dumped in its place, and {@code dpkg -r} removes every file it brought and that
 * archive.
 */
@Tag("slow")
class DebianPackageTest {
    @Test
    void lintianFindsNoErrorAndEveryFileIsInItsDebianPlace() throws IOException {
        NoJavaHost.assumeImagesBuilt();
        Path deb = deb();

        Programs.Run lintian =
                Programs.run(Map.of(), "lintian", "--fail-on", "error", "--no-tag-display-limit", deb.toString());
        assertThat(lintian.exitCode()).as(lintian.toString()).isZero();
        assertThat(lintian.stdout()).doesNotContainPattern("(?m)^E: ");

        String contents =
                Programs.run(Map.of(), "dpkg-deb", "--contents", deb.toString()).stdout();
        assertThat(contents)
                .contains(
                        "./usr/bin/installer -> ../lib/ferry-installer/bin/installer",
                        "./usr/lib/ferry-installer/lib/runtime/",
                        "./usr/share/man/man1/installer.1.gz",
                        "./usr/share/man/man1/installer-install.1.gz",
                        "./usr/share/bash-completion/completions/installer",
                        "./usr/share/doc/ferry-installer/copyright",
                        "./usr/share/doc/ferry-installer/changelog.gz",
                        "./etc/ferry/trust.d/");
        assertThat(contents).doesNotContain("./opt/").contains("root/root");
        // The class-data archive is dumped in place by postinst from the class list; the build's would be refused.
        assertThat(contents)
                .contains("./usr/lib/ferry-installer/lib/app/installer.classlist")
                .doesNotContain("installer.jsa");
        String control = Programs.run(Map.of(), "dpkg-deb", "--field", deb.toString(), "Package", "Version", "Depends")
                .stdout();
        assertThat(control).contains("Package: ferry-installer", "Version: 0.1.0~SNAPSHOT", "Depends: libc6");
    }

    @Test
    void dpkgInstallsItOnAHostWithoutJavaAndRemovesItCleanly(@TempDir Path work) throws IOException {
        NoJavaHost.assumeImagesBuilt();
        Path deb = Files.copy(deb(), work.resolve("ferry-installer.deb"));

        Programs.Run run = SystemdContainer.throwawayRoot(
                work,
                String.join(
                        "\n",
                        "set -u",
                        "rm -rf /usr/lib/jvm",
                        "if command -v java >/dev/null && java -version >/dev/null 2>&1; then echo 'java: present'; else echo 'java: none'; fi",
                        "dpkg -i " + deb + " >/dev/null 2>&1; echo \"dpkg -i: $?\"",
                        "echo \"installed: $(dpkg-query -W -f='${Status}' ferry-installer)\"",
                        "echo \"on PATH: $(command -v installer)\"",
                        "installer --version",
                        // -Xshare:on: the JVM fails rather than start without the archive (FERRY_JAVA_OPTS comes last).
                        "echo \"archive: $(FERRY_JAVA_OPTS=-Xshare:on installer --version >/dev/null 2>&1; echo $?)\"",
                        "echo \"no archive: $(FERRY_JAVA_OPTS='-Xshare:on -XX:SharedArchiveFile=/nonexistent.jsa'"
                                + " installer --version >/dev/null 2>&1; echo $?)\"",
                        "echo \"man: $(man -w installer-install)\"",
                        "echo \"trust.d: $(stat -c %a /etc/ferry/trust.d)\"",
                        "dpkg -r ferry-installer >/dev/null 2>&1; echo \"dpkg -r: $?\"",
                        "echo \"left: $(ls -d /usr/lib/ferry-installer /usr/bin/installer /etc/ferry /usr/share/doc/ferry-installer"
                                + " /usr/share/man/man1/installer*.1.gz /usr/share/bash-completion/completions/installer 2>/dev/null)\"",
                        "echo \"after: $(dpkg-query -W -f='${Status}' ferry-installer 2>&1 | head -1)\"",
                        "dpkg --audit; echo \"audit: $?\""));

        assertThat(run.stdout())
                .as(run.toString())
                .contains(
                        "java: none\n",
                        "dpkg -i: 0\n",
                        "installed: install ok installed\n",
                        "on PATH: /usr/bin/installer\n",
                        "installer (Ferry) 0.1.0-SNAPSHOT\n",
                        "archive: 0\n",
                        "no archive: 1\n",
                        "man: /usr/share/man/man1/installer-install.1.gz\n",
                        "trust.d: 755\n",
                        "dpkg -r: 0\n",
                        "left: \n",
                        "audit: 0\n");
        assertThat(run.stdout()).doesNotContain("after: install ok installed");
        // The machine's own package database never saw it.
        assertThat(Programs.run(Map.of(), "dpkg-query", "-W", "ferry-installer").exitCode())
                .isNotZero();
    }

    private static Path deb() throws IOException {
        try (Stream<Path> files = Files.list(Programs.REPO.resolve("dist/target"))) {
            List<Path> debs = files.filter(f -> f.getFileName().toString().matches("ferry-installer_.*\\.deb"))
                    .toList();
            assertThat(debs)
                    .as("mvn package writes one dist/target/ferry-installer_*.deb")
                    .hasSize(1);
            return debs.get(0);
        }
    }
}
