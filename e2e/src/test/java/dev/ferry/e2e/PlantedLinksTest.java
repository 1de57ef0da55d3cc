package dev.ferry.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19 item 4, played for real: each link the reviewer found root following is planted before a run of
 * {@code bin/installer}. Every one is refused with one line naming the path (exit 4, nothing changed), or (a fixed
 * temporary name from before) simply never used; what the link points at is never touched; diagnose never follows
 * a link into the archive. A folder another account could write is refused the same way, and the unprivileged user
 * cannot plant anything itself.
 */
@Tag("slow")
class PlantedLinksTest {
    private static final String SECRET = "root-only-secret-3f9a";

    @TempDir
    Path work;

    private InstallerFixture fx;
    private Path bundle;
    private Path victim;
    private Path victimDir;

    @BeforeEach
    void installed() throws Exception {
        fx = new InstallerFixture(work, "none");
        bundle = fx.bundle(InstallerFixture.BundleOptions.of("1.0.0", 1));
        Programs.Run install = fx.install(bundle, "--skip-selftest");
        assertThat(install.exitCode()).as(install.toString()).isZero();
        victim = Files.writeString(work.resolve("victim.txt"), SECRET);
        Files.setPosixFilePermissions(victim, PosixFilePermissions.fromString("rw-------"));
        victimDir = Files.createDirectories(work.resolve("victim-dir"));
        Files.writeString(victimDir.resolve("precious"), "keep me");
    }

    @Test
    void aLinkedReleasesFolderIsRefusedAndItsTargetIsNotEmptied() throws Exception {
        Path releases = fx.root.resolve("opt/ferry/" + InstallerFixture.NAME + "/releases");
        Files.move(releases, work.resolve("releases-moved"));
        Files.createSymbolicLink(releases, victimDir);
        refused(reinstall(), releases);
        assertThat(victimDir.resolve("precious")).hasContent("keep me");
        assertThat(victimDir)
                .isDirectoryContaining(p -> p.getFileName().toString().equals("precious"));
        assertThat(Files.list(victimDir).count()).isEqualTo(1);
    }

    @Test
    void aLinkAtTheLockFileIsRefusedAndItsTargetNotTruncated() throws Exception {
        Path lock = fx.root.resolve("var/lib/ferry/.lock");
        Files.delete(lock);
        Files.createSymbolicLink(lock, victim);
        refused(reinstall(), lock);
        assertThat(victim).hasContent(SECRET);
    }

    @Test
    void aLinkAtInstallLogIsRefusedAndNothingIsCreatedOutsideTheRoot() throws Exception {
        Path log = fx.logDir().resolve("install.log");
        Path outside = work.resolve("created-by-root.log");
        Files.delete(log);
        Files.createSymbolicLink(log, outside);
        refused(reinstall(), log);
        assertThat(outside).doesNotExist();
    }

    @Test
    void aLinkedConfigFolderNeverReceivesTheToken() throws Exception {
        Path config = fx.configDir();
        Files.move(config, work.resolve("config-moved"));
        Files.createSymbolicLink(config, victimDir);
        refused(reinstall(), config);
        assertThat(victimDir.resolve("token")).doesNotExist();
        assertThat(Files.list(victimDir).count()).isEqualTo(1);
    }

    @Test
    void theOldFixedTemporaryNameIsNeverFollowedOrChmodded() throws Exception {
        Path fixedTemp = fx.dataDir().resolve(".state.json.tmp");
        Files.createSymbolicLink(fixedTemp, victim);
        Programs.Run run = reinstall();
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(victim).hasContent(SECRET);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(victim)))
                .isEqualTo("rw-------");
    }

    @Test
    void aLayoutFolderOthersCanWriteIsRefusedAndTheAttackerCannotPlantALinkItself() throws Exception {
        Attacker.canReach(fx.root);
        Programs.Run plant = Attacker.run(
                "ln", "-s", victim.toString(), fx.logDir().resolve("error.log").toString());
        assertThat(plant.exitCode())
                .as("the unprivileged user cannot write the log folder: " + plant)
                .isNotZero();

        Files.setPosixFilePermissions(fx.logDir(), PosixFilePermissions.fromString("rwxrwxrwx"));
        Programs.Run run = reinstall();
        refused(run, fx.logDir());
        assertThat(run.stderr()).contains("0777", "chmod go-w");
    }

    @Test
    void diagnoseNeverFollowsALinkedLogIntoTheArchive() throws Exception {
        Path agentLog = fx.logDir().resolve("agent.log");
        Files.deleteIfExists(agentLog);
        Files.createSymbolicLink(agentLog, victim);
        Path out = work.resolve("support.tar.gz");
        Programs.Run diagnose = fx.installer("diagnose", "--out", out.toString());
        assertThat(diagnose.exitCode()).as(diagnose.toString()).isZero();

        StringBuilder archived = new StringBuilder();
        try (InputStream in = Files.newInputStream(out);
                TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(in))) {
            for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
                archived.append(e.getName())
                        .append('\n')
                        .append(new String(tar.readAllBytes(), StandardCharsets.ISO_8859_1));
            }
        }
        assertThat(archived.toString()).doesNotContain(SECRET).contains("agent.log (a symbolic link: never followed)");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out)))
                .isEqualTo("rw-------");
    }

    private Programs.Run reinstall() {
        return fx.installer(
                "reinstall", "--bundle", bundle.toString(), "--trust", fx.trustPem.toString(), "--skip-selftest");
    }

    private static void refused(Programs.Run run, Path path) {
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(4);
        assertThat(run.stderr())
                .as(run.toString())
                .contains("refusing " + path + ": ")
                .doesNotContain("internal error", "Exception");
        assertThat(run.stderr()
                        .strip()
                        .lines()
                        .filter(l -> l.contains("refusing"))
                        .count())
                .isEqualTo(1);
    }
}
