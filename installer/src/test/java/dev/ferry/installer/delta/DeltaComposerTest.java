package dev.ferry.installer.delta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.bundle.DeltaBase;
import dev.ferry.bundle.FileEntry;
import dev.ferry.bundle.Manifest;
import dev.ferry.common.ExitCode;
import dev.ferry.common.FerryException;
import dev.ferry.installer.transaction.StagingSink;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SPEC section 11: a delta's reused files land in staging with the new manifest's bytes and modes, or exit 4. */
class DeltaComposerTest {
    private static final byte[] AGENT = "#!/bin/sh\necho agent\n".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    private Path base;
    private Path staging;

    @BeforeEach
    void baseRelease() throws Exception {
        base = Files.createDirectories(dir.resolve("releases/1.0.0-1/runtime/bin"));
        Files.write(base.resolve("agent"), AGENT);
        Files.setPosixFilePermissions(base.resolve("agent"), PosixFilePermissions.fromString("rwxr-xr-x"));
        base = dir.resolve("releases/1.0.0-1");
        staging = dir.resolve("releases/.staging-1.1.0-2");
        StagingSink.createStaging(dir.resolve("releases"), staging);
    }

    private static Manifest delta(String mode, byte[] expected) throws Exception {
        String sha =
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(expected));
        FileEntry agent = new FileEntry("payload/runtime/bin/agent", expected.length, sha, mode, true);
        return new Manifest(
                Manifest.FORMAT,
                "bot",
                "1.1.0",
                2,
                Instant.EPOCH,
                Instant.EPOCH.plusSeconds(60),
                null,
                null,
                List.of(agent),
                new DeltaBase("bot", "1.0.0", 1, "ab".repeat(32)));
    }

    private void compose(Manifest m) throws Exception {
        DeltaComposer.compose(m, new BaseRelease.Found("1.0.0-1", base), new StagingSink(staging));
    }

    @Test
    void aReusedFileWithTheSameModeIsLinkedAndChecked() throws Exception {
        compose(delta("0755", AGENT));
        Path staged = staging.resolve("runtime/bin/agent");
        assertThat(staged).hasBinaryContent(AGENT);
        assertThat(Files.isSameFile(staged, base.resolve("runtime/bin/agent"))).isTrue();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(staged)))
                .isEqualTo("rwxr-xr-x");
    }

    @Test
    void aReusedFileWhoseModeChangesIsCopiedWithTheNewModeAndTheBaseKeepsItsOwn() throws Exception {
        compose(delta("0644", AGENT));
        Path staged = staging.resolve("runtime/bin/agent");
        assertThat(staged).hasBinaryContent(AGENT);
        assertThat(Files.isSameFile(staged, base.resolve("runtime/bin/agent"))).isFalse();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(staged, LinkOption.NOFOLLOW_LINKS)))
                .isEqualTo("rw-r--r--");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(base.resolve("runtime/bin/agent"))))
                .isEqualTo("rwxr-xr-x");
    }

    @Test
    void aDamagedOrMissingReusedFileIsExitFourNamingTheFileAndTheRemedy() throws Exception {
        Manifest expectsOther = delta("0755", "#!/bin/sh\necho other\n".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> compose(expectsOther))
                .isInstanceOfSatisfying(
                        FerryException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.PREFLIGHT))
                .hasMessageContaining("runtime/bin/agent from the base release 1.0.0-1")
                .hasMessageContaining("reinstall");
        Files.delete(base.resolve("runtime/bin/agent"));
        Files.createSymbolicLink(base.resolve("runtime/bin/agent"), Path.of("/etc/passwd"));
        assertThatThrownBy(() -> compose(delta("0755", AGENT)))
                .isInstanceOfSatisfying(
                        FerryException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.PREFLIGHT))
                .hasMessageContaining("missing or not a plain file");
    }
}
