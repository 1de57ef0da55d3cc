package dev.ferry.installer.transaction;

import static dev.ferry.installer.transaction.KeptReleases.installed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.common.ExitCode;
import dev.ferry.common.FerryException;
import dev.ferry.installer.check.CheckReport;
import dev.ferry.installer.host.HostLayout;
import dev.ferry.installer.host.HostPaths;
import dev.ferry.installer.host.InstallState.ConfigBackup;
import dev.ferry.installer.host.InstallState.Pending;
import dev.ferry.installer.host.InstallState.Phase;
import dev.ferry.installer.host.InstallState.ReleaseMoves;
import dev.ferry.installer.host.StateStore;
import dev.ferry.installer.host.StateStore.DamagedStateException;
import dev.ferry.installer.service.NoneServiceManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 19 item 5, played as the attacker who can edit state.json (or the power cut that truncated it): names in it
 * are checked before use, so a crafted pending record cannot make recovery delete outside the layout, and a damaged
 * file is one line with the remedy that blocks only its own agent.
 */
class UntrustedStateTest {
    private static final Instant T = KeptReleases.T;

    @TempDir
    Path dir;

    private HostLayout layout;
    private HostPaths paths;
    private HostContext ctx;

    @BeforeEach
    void host() {
        layout = new HostLayout(dir.resolve("root"));
        paths = layout.agent("bot");
        ctx = new HostContext(
                layout, Clock.fixed(T, ZoneOffset.UTC), new NoneServiceManager(), (p, h) -> new CheckReport(List.of()));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "../../../../victim",
                "/victim",
                ".staging-../../victim",
                ".staging-x/../../victim",
                "..",
                ".staging-"
            })
    void aCraftedStagingNameNeverLeadsRecoveryOutsideTheRoot(String staging) throws Exception {
        Path victim = Files.createDirectories(dir.resolve("victim"));
        Files.writeString(victim.resolve("precious"), "keep me");
        StateStore.write(
                paths,
                installed("1.0-1")
                        .withPending(new Pending(
                                "install",
                                Phase.STAGING,
                                T,
                                new ReleaseMoves(staging, "1.0-1", false, null, null),
                                new ConfigBackup(false, false),
                                "bot")));

        List<String> notes = Recovery.recoverAll(ctx);

        assertThat(victim.resolve("precious")).hasContent("keep me");
        assertThat(notes).singleElement().asString().contains("did not recover bot", "pending.staging", "is damaged");
        assertThatThrownBy(() -> StateStore.read(paths))
                .isInstanceOf(DamagedStateException.class)
                .satisfies(e -> assertThat(((FerryException) e).exitCode()).isEqualTo(ExitCode.PREFLIGHT));
    }

    @Test
    void craftedReleaseAndAsideNamesAreRefusedToo() {
        StateStore.write(
                paths,
                installed("1.0-1")
                        .withPending(new Pending(
                                "install",
                                Phase.SWITCHED,
                                T,
                                new ReleaseMoves(null, "../../etc", true, "1.0-1", ".aside-1.0-1-abc"),
                                new ConfigBackup(false, false),
                                "bot")));
        assertThatThrownBy(() -> StateStore.read(paths)).hasMessageContaining("pending.newRelease is '../../etc'");

        StateStore.write(
                paths,
                installed("1.0-1")
                        .withPending(new Pending(
                                "install",
                                Phase.SWITCHED,
                                T,
                                new ReleaseMoves(null, "1.0-1", true, "1.0-1", ".aside-/tmp"),
                                new ConfigBackup(false, false),
                                "bot")));
        assertThatThrownBy(() -> StateStore.read(paths)).hasMessageContaining("pending.asideRelease");

        StateStore.write(paths, installed("../1.0-1"));
        assertThatThrownBy(() -> StateStore.read(paths)).hasMessageContaining("current.release");
    }

    @Test
    void aTruncatedStateIsOneLineWithTheRemedyNotAParserMessage() throws Exception {
        StateStore.write(paths, installed("1.0-1"));
        byte[] whole = Files.readAllBytes(paths.stateFile());
        Files.write(paths.stateFile(), Arrays.copyOf(whole, whole.length / 2));

        assertThatThrownBy(() -> StateStore.read(paths))
                .isInstanceOf(DamagedStateException.class)
                .hasMessageStartingWith(paths.stateFile() + " is damaged (it is not complete JSON")
                .hasMessageContaining("mv " + paths.stateFile() + " " + paths.stateFile() + ".damaged")
                .hasMessageContaining("installer install --bundle")
                .satisfies(e -> assertThat(e.getMessage())
                        .doesNotContain("\n", "jackson", "Unexpected end-of-input", "Source:"));
    }

    @Test
    void anotherAgentsDamagedStateDoesNotBlockThisOne() throws Exception {
        HostPaths other = layout.agent("other-bot");
        StateStore.write(other, installed("1.0-1"));
        Files.writeString(other.stateFile(), "{\"schema\": \"ferry-state/1\", \"cur");
        StateStore.write(paths, installed("2.0-2"));

        List<String> notes = Recovery.recoverAll(ctx);

        assertThat(notes).singleElement().asString().startsWith("did not recover other-bot: ");
        assertThat(StateStore.read(paths).orElseThrow().current().release()).isEqualTo("2.0-2");
        assertThat(StateStore.readIfIntact(other)).isEmpty();
    }

    @Test
    void aStateFileThatIsALinkIsNotFollowed() throws Exception {
        Path elsewhere = Files.writeString(dir.resolve("planted.json"), "{}");
        Files.createDirectories(paths.dataDir());
        Files.createSymbolicLink(paths.stateFile(), elsewhere);
        assertThatThrownBy(() -> StateStore.read(paths))
                .isInstanceOf(DamagedStateException.class)
                .hasMessageContaining("symbolic link");
    }
}
