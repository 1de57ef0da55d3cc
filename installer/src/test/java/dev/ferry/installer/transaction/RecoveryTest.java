package dev.ferry.installer.transaction;

import static dev.ferry.installer.transaction.KeptReleases.installed;
import static dev.ferry.installer.transaction.KeptReleases.record;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import dev.ferry.installer.check.CheckReport;
import dev.ferry.installer.host.HostLayout;
import dev.ferry.installer.host.HostPaths;
import dev.ferry.installer.host.InstallState;
import dev.ferry.installer.host.InstallState.ConfigBackup;
import dev.ferry.installer.host.InstallState.Pending;
import dev.ferry.installer.host.InstallState.Phase;
import dev.ferry.installer.host.InstallState.ReleaseMoves;
import dev.ferry.installer.host.Releases;
import dev.ferry.installer.host.StateStore;
import dev.ferry.installer.service.NoneServiceManager;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Step 2: what recovery does with each kind of interrupted transaction it finds in state.json. */
class RecoveryTest {
    private static final Instant T = KeptReleases.T;
    private final FileSystem fs = Jimfs.newFileSystem(
            Configuration.unix().toBuilder().setAttributeViews("basic", "posix").build());
    private final HostLayout layout = new HostLayout(fs.getPath("/stage"));
    private final HostPaths paths = layout.agent("bot");
    private final HostContext ctx = new HostContext(
            layout,
            Clock.fixed(T, ZoneOffset.UTC),
            new NoneServiceManager(),
            (profile, p) -> new CheckReport(List.of()));

    @AfterEach
    void close() throws Exception {
        fs.close();
    }

    @Test
    void anUpgradeThatDiedAfterTheSwitchIsUndone() throws Exception {
        release("1.0-1", "one");
        release("2.0-2", "two");
        Releases.switchTo(paths, "2.0-2");
        Files.createDirectories(paths.configBackup());
        Files.writeString(paths.configBackup().resolve("agent.yaml"), "version: 1.0");
        Files.writeString(paths.configDir().resolve("agent.yaml"), "version: 2.0");
        Files.writeString(paths.dataDir().resolve("agent.db"), "agent data");
        StateStore.write(
                paths,
                installed("1.0-1")
                        .withPending(new Pending(
                                "install",
                                Phase.SWITCHED,
                                T,
                                new ReleaseMoves(null, "2.0-2", true, "1.0-1", null),
                                new ConfigBackup(true, true),
                                "bot")));

        List<String> notes = Recovery.recoverAll(ctx);

        assertThat(notes)
                .singleElement()
                .asString()
                .contains("undid an interrupted install of 2.0-2", "1.0-1 is current again");
        assertThat(Releases.current(paths)).contains("1.0-1");
        assertThat(paths.release("2.0-2")).doesNotExist();
        assertThat(paths.configDir().resolve("agent.yaml")).hasContent("version: 1.0");
        assertThat(paths.txnDir()).doesNotExist();
        assertThat(paths.dataDir().resolve("agent.db")).hasContent("agent data");
        InstallState after = StateStore.read(paths).orElseThrow();
        assertThat(after.pending()).isNull();
        assertThat(after.current().release()).isEqualTo("1.0-1");
        assertThat(Files.readString(paths.installLog())).contains("\"action\":\"recover\"", "\"result\":\"undone\"");
    }

    @Test
    void aReinstallThatDiedPutsTheSetAsideReleaseBack() throws Exception {
        release("1.0-1", "new copy");
        release(".aside-1.0-1-abc", "original");
        Releases.switchTo(paths, "1.0-1");
        StateStore.write(
                paths,
                installed("1.0-1")
                        .withPending(new Pending(
                                "reinstall",
                                Phase.SWITCHED,
                                T,
                                new ReleaseMoves(null, "1.0-1", true, "1.0-1", ".aside-1.0-1-abc"),
                                new ConfigBackup(false, true),
                                "bot")));

        Recovery.recoverAll(ctx);

        assertThat(paths.release("1.0-1").resolve("runtime/agent")).hasContent("original");
        assertThat(paths.releasesDir().resolve(".aside-1.0-1-abc")).doesNotExist();
        assertThat(Releases.current(paths)).contains("1.0-1");
    }

    @Test
    void aFirstInstallThatDiedWhileStagingLeavesNoTrace() throws Exception {
        Path staging = paths.releasesDir().resolve(".staging-1.0-1-abc");
        Files.createDirectories(staging.resolve("runtime"));
        StateStore.write(
                paths,
                InstallState.empty("bot")
                        .withPending(new Pending(
                                "install",
                                Phase.STAGING,
                                T,
                                new ReleaseMoves(".staging-1.0-1-abc", "1.0-1", false, null, null),
                                new ConfigBackup(false, false),
                                "bot")));

        assertThat(Recovery.recoverAll(ctx)).hasSize(1);

        assertThat(paths.installBase()).doesNotExist();
        assertThat(paths.stateFile()).doesNotExist();
        assertThat(layout.knownAgents()).isEmpty();
    }

    @Test
    void debrisOfACommittedRunIsClearedQuietly() throws Exception {
        release("1.0-1", "one");
        release("2.0-2", "two");
        release("3.0-3", "three");
        Files.createDirectories(paths.releasesDir().resolve(".staging-4.0-4-x"));
        Files.createDirectories(paths.configBackup());
        Releases.switchTo(paths, "3.0-3");
        InstallState state = installed("2.0-2").committed(record("3.0-3"), record("2.0-2"), null, "none", null);
        StateStore.write(paths, state);

        assertThat(Recovery.recoverAll(ctx)).isEmpty();

        try (var left = Files.list(paths.releasesDir())) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("2.0-2", "3.0-3");
        }
        assertThat(paths.txnDir()).doesNotExist();
    }

    private void release(String name, String content) throws Exception {
        KeptReleases.release(paths, name, content);
    }
}
