package dev.ferry.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19 item 5 through {@code bin/installer}: a power cut or a hand edit left {@code state.json} cut in half.
 * Before, every command died with exit 1 and a Jackson message. Now the agent's own commands say in one line that
 * the file is damaged and what to do (exit 4), diagnose still writes its archive, uninstall --purge still removes
 * the agent, and following the remedy installs again.
 */
@Tag("slow")
class DamagedStateTest {
    @TempDir
    Path work;

    @Test
    void aTruncatedStateIsOneLineWithTheRemedyAndBlocksNeitherDiagnoseNorRemoval() throws Exception {
        try (InstallerFixture fx = new InstallerFixture(work, "none")) {
            Path bundle = fx.bundle(InstallerFixture.BundleOptions.of("1.0.0", 1));
            assertThat(fx.install(bundle, "--skip-selftest").exitCode()).isZero();
            Path state = fx.dataDir().resolve("state.json");
            byte[] whole = Files.readAllBytes(state);
            Files.write(state, Arrays.copyOf(whole, whole.length / 2));

            Programs.Run status = fx.installer("status", "--name", InstallerFixture.NAME);
            assertThat(status.exitCode()).as(status.toString()).isEqualTo(4);
            assertThat(status.stderr().strip().lines())
                    .as(status.toString())
                    .hasSize(1)
                    .first()
                    .asString()
                    .contains(
                            state + " is damaged",
                            "mv " + state + " " + state + ".damaged",
                            "installer install --bundle")
                    .doesNotContain("internal error", "jackson", "Unexpected end-of-input");

            Programs.Run reinstall = fx.installer(
                    "reinstall", "--bundle", bundle.toString(), "--trust", fx.trustPem.toString(), "--skip-selftest");
            assertThat(reinstall.exitCode()).as(reinstall.toString()).isEqualTo(4);
            assertThat(reinstall.stderr()).contains(state + " is damaged").doesNotContain("internal error");

            Path out = work.resolve("support.tar.gz");
            Programs.Run diagnose = fx.installer("diagnose", "--name", InstallerFixture.NAME, "--out", out.toString());
            assertThat(diagnose.exitCode()).as(diagnose.toString()).isZero();
            assertThat(out).isNotEmptyFile();

            Files.move(state, state.resolveSibling("state.json.damaged"));
            Programs.Run again = fx.install(bundle, "--skip-selftest");
            assertThat(again.exitCode()).as("the remedy works: " + again).isZero();
            Files.write(state, Arrays.copyOf(whole, whole.length / 3));

            Programs.Run purge = fx.installer("uninstall", "--name", InstallerFixture.NAME, "--purge");
            assertThat(purge.exitCode()).as(purge.toString()).isZero();
            assertThat(fx.dataDir()).doesNotExist();
            assertThat(fx.release()).doesNotExist();
        }
    }
}
