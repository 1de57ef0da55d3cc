package dev.ferry.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.e2e.InstallerFixture.BundleOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code installer diagnose} as support receives it: readable with tar alone, and never a secret in it. */
@Tag("slow")
class InstallerDiagnoseTest {
    @TempDir
    Path work;

    @Test
    void archiveHoldsTheFactsButNotTheTokenEvenWhereTheAgentLeakedIt() throws Exception {
        try (InstallerFixture host = new InstallerFixture(work, "none")) {
            BundleOptions options = BundleOptions.of("1.0.0", 10);
            Programs.Run install = host.install(host.bundle(options), "--skip-selftest");
            assertThat(install.exitCode()).as(install.toString()).isZero();
            String token = options.token();
            Files.writeString(
                    host.logDir().resolve("agent.log"),
                    "checking in with Authorization: " + token + "\n",
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
            Files.writeString(host.configDir().resolve("extra.env"), "API_TOKEN=" + token + "\nREGION=east\n");

            Path archive = work.resolve("support.tar.gz");
            Programs.Run diagnose = host.installer("diagnose", "--out", archive.toString());
            assertThat(diagnose.exitCode()).as(diagnose.toString()).isZero();
            Path x = Files.createDirectories(work.resolve("x"));
            assertThat(Programs.run(Map.of(), "tar", "-xzf", archive.toString(), "-C", x.toString())
                            .exitCode())
                    .isZero();

            assertThat(x.resolve("summary.txt"))
                    .content()
                    .contains(InstallerFixture.NAME)
                    .contains("1.0.0");
            assertThat(x.resolve("config/extra.env")).content().contains("REGION=east");
            assertThat(x.resolve("config/token")).doesNotExist();
            for (String part : new String[] {
                "status.json",
                "preflight.json",
                "selftest.json",
                "host.json",
                "network.txt",
                "logs/install.log",
                "logs/agent.log"
            }) {
                assertThat(x.resolve(part)).as(part).exists();
            }
            try (Stream<Path> files = Files.walk(x)) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    assertThat(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1))
                            .as(f.toString())
                            .doesNotContain(token)
                            .doesNotContain(token.split("\\.")[1]);
                }
            }
        }
    }

    @Test
    void brokenInstallStillGivesAnArchiveThatSaysWhatIsMissing() throws Exception {
        try (InstallerFixture host = new InstallerFixture(work, "none")) {
            assertThat(host.install(host.bundle(BundleOptions.of("1.0.0", 10)), "--skip-selftest")
                            .exitCode())
                    .isZero();
            Programs.run(
                    Map.of(),
                    "rm",
                    "-rf",
                    host.configDir().toString(),
                    host.logDir().toString(),
                    host.root.resolve("opt").toString());
            Path archive = work.resolve("broken.tar.gz");
            Programs.Run diagnose = host.installer("diagnose", "--out", archive.toString());
            assertThat(diagnose.exitCode()).as(diagnose.toString()).isZero();
            Programs.Run missing = Programs.run(Map.of(), "tar", "-xzOf", archive.toString(), "missing.txt");
            assertThat(missing.stdout())
                    .contains(host.configDir().toString())
                    .contains(host.logDir().toString());
        }
    }
}
