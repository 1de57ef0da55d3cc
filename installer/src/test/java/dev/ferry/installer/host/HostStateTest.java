package dev.ferry.installer.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import dev.ferry.common.ExitCode;
import dev.ferry.common.FerryException;
import dev.ferry.common.files.AtomicWriter;
import dev.ferry.common.files.FileMode;
import dev.ferry.installer.host.InstallState.ConfigBackup;
import dev.ferry.installer.host.InstallState.Pending;
import dev.ferry.installer.host.InstallState.Phase;
import dev.ferry.installer.host.InstallState.ReleaseMoves;
import dev.ferry.installer.host.InstallState.ReleaseRecord;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Path and state logic on an in-memory Unix filesystem. */
class HostStateTest {
    private final FileSystem fs = Jimfs.newFileSystem(
            Configuration.unix().toBuilder().setAttributeViews("basic", "posix").build());
    private final HostLayout layout = new HostLayout(fs.getPath("/stage"));
    private final HostPaths paths = layout.agent("certinext-bot");
    private static final Instant T = Instant.parse("2026-11-22T10:00:00Z");

    @AfterEach
    void close() throws Exception {
        fs.close();
    }

    @Test
    void everyPathOfTheLayoutIsUnderTheRoot() {
        assertThat(paths.current().toString()).isEqualTo("/stage/opt/ferry/certinext-bot/current");
        assertThat(paths.release("1.4.2-42").toString()).isEqualTo("/stage/opt/ferry/certinext-bot/releases/1.4.2-42");
        assertThat(paths.configDir().toString()).isEqualTo("/stage/etc/ferry/certinext-bot");
        assertThat(paths.tokenFile().toString()).isEqualTo("/stage/etc/ferry/certinext-bot/token");
        assertThat(paths.stateFile().toString()).isEqualTo("/stage/var/lib/ferry/certinext-bot/state.json");
        assertThat(paths.installLog().toString()).isEqualTo("/stage/var/log/ferry/certinext-bot/install.log");
        assertThat(layout.lockFile().toString()).isEqualTo("/stage/var/lib/ferry/.lock");
        assertThat(layout.trustDir().toString()).isEqualTo("/stage/etc/ferry/trust.d");
        assertThat(paths.writtenFolders()).allMatch(p -> p.startsWith(layout.root()));
    }

    @Test
    void namesThatCouldLeaveTheLayoutAreRefused() {
        for (String bad : List.of("..", "../etc", "a/b", ".hidden", "", "x\\y")) {
            assertThatThrownBy(() -> layout.agent(bad))
                    .isInstanceOf(FerryException.class)
                    .satisfies(e -> assertThat(((FerryException) e).exitCode()).isEqualTo(ExitCode.VERIFICATION));
        }
        assertThatThrownBy(() -> Releases.name("../1", 3)).isInstanceOf(FerryException.class);
        assertThat(Releases.name("1.4.2", 42)).isEqualTo("1.4.2-42");
    }

    @Test
    void stateRoundTripsThroughAnAtomicWrite() {
        ReleaseRecord r = new ReleaseRecord(
                "1.4.2-42", "1.4.2", 42, "prod-dmz", "ab12", List.of("0123456789abcdef"), T.plusSeconds(3600), T);
        InstallState state = InstallState.empty("certinext-bot")
                .committed(
                        r,
                        null,
                        new InstallState.TokenRecord("tok", T, T.plusSeconds(60), "bundle", T),
                        "process",
                        new InstallState.SelfTestRecord(T, "pass", List.of()))
                .withPending(new Pending(
                        "install",
                        Phase.SWITCHED,
                        T,
                        new ReleaseMoves(".staging-x", "1.5.0-43", true, "1.4.2-42", null),
                        new ConfigBackup(true, true),
                        "certinext-bot"));
        StateStore.write(paths, state);
        assertThat(StateStore.read(paths)).contains(state);
        assertThat(StateStore.read(layout.agent("other"))).isEmpty();
        assertThat(layout.knownAgents()).containsExactly("certinext-bot");
    }

    /** A record a crashed run of an earlier installer left (flat fields) is read the same: recovery still undoes it. */
    @Test
    void aPendingRecordKeepsItsFlatFieldsInStateJson() throws Exception {
        String flat = "{\"schema\":\"ferry-state/1\",\"name\":\"certinext-bot\",\"pending\":{\"action\":\"reinstall\","
                + "\"phase\":\"SWITCHED\",\"startedAt\":\"2026-11-22T10:00:00Z\",\"staging\":\".staging-1.4.2-42-x\","
                + "\"newRelease\":\"1.4.2-42\",\"createdRelease\":true,\"previousRelease\":\"1.4.2-42\","
                + "\"asideRelease\":\".aside-1.4.2-42-y\",\"configBackedUp\":true,\"configExisted\":false,\"serviceName\":\"svc\"}}";
        Files.createDirectories(paths.stateFile().getParent());
        Files.writeString(paths.stateFile(), flat);

        Pending read = StateStore.read(paths).orElseThrow().pending();

        assertThat(read)
                .isEqualTo(new Pending(
                        "reinstall",
                        Phase.SWITCHED,
                        T,
                        new ReleaseMoves(".staging-1.4.2-42-x", "1.4.2-42", true, "1.4.2-42", ".aside-1.4.2-42-y"),
                        new ConfigBackup(true, false),
                        "svc"));
        StateStore.write(paths, InstallState.empty("certinext-bot").withPending(read));
        assertThat(StateStore.MAPPER
                        .readTree(Files.readAllBytes(paths.stateFile()))
                        .path("pending"))
                .isEqualTo(StateStore.MAPPER.readTree(flat).path("pending"));
    }

    @Test
    void committingMakesTheOldCurrentThePreviousAndKeepsAShortHistory() {
        InstallState s = InstallState.empty("a");
        ReleaseRecord previous = null;
        for (int i = 1; i <= 12; i++) {
            ReleaseRecord r =
                    new ReleaseRecord("1.0." + i + "-" + i, "1.0." + i, i, "p", "h", List.of(), T, T.plusSeconds(i));
            s = s.committed(r, s.current(), null, "none", null);
            previous = s.previous();
        }
        assertThat(s.current().sequence()).isEqualTo(12);
        assertThat(previous.sequence()).isEqualTo(11);
        assertThat(s.history()).hasSize(InstallState.HISTORY);
        assertThat(s.history().get(0).sequence()).isEqualTo(12);
        assertThat(s.pending()).isNull();
    }

    @Test
    void atomicWriteSetsTheModeAndLeavesNoTempFile() throws Exception {
        Path secret = paths.tokenFile();
        AtomicWriter.write(secret, "s3cret".getBytes(), FileMode.SECRET);
        AtomicWriter.write(secret, "s3cret-2".getBytes(), FileMode.SECRET);
        assertThat(Files.readString(secret)).isEqualTo("s3cret-2");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(secret)))
                .isEqualTo("rw-------");
        try (var entries = Files.list(paths.configDir())) {
            assertThat(entries).containsExactly(secret);
        }
        assertThat(FileMode.parse("4755").permissions()).isEqualTo(PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @Test
    void currentIsSwappedToARelativeLinkAndPruningKeepsTheNamedReleases() throws Exception {
        for (String r : List.of("1.0-1", "1.1-2", "1.2-3", ".staging-1.3-4-abc", ".aside-1.1-2-def")) {
            Files.createDirectories(paths.release(r).resolve("runtime"));
            Files.writeString(paths.release(r).resolve("runtime/agent"), r);
        }
        Releases.switchTo(paths, "1.1-2");
        Releases.switchTo(paths, "1.2-3");
        assertThat(Files.readSymbolicLink(paths.current()).toString()).isEqualTo("releases/1.2-3");
        assertThat(Releases.current(paths)).contains("1.2-3");
        assertThat(Files.readString(paths.current().resolve("runtime/agent"))).isEqualTo("1.2-3");

        List<String> deleted = Releases.prune(paths, Set.of("1.2-3", "1.1-2"));
        assertThat(deleted).containsExactly(".aside-1.1-2-def", ".staging-1.3-4-abc", "1.0-1");
        try (var left = Files.list(paths.releasesDir())) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("1.1-2", "1.2-3");
        }
    }
}
