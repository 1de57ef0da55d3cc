package dev.ferry.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The host's disks misbehave: --root is a real 8 MB tmpfs. A bundle bigger than the free space is refused by the
 * preflight disk check (exit 4) and, with that check ignored, really hits ENOSPC while streaming (exit 7, nothing
 * half-written, the previous release current and whole). A read-only install folder fails the same clean way, and a
 * read-only state folder refuses at the lock (exit 4) while status still reads it.
 */
@Tag("slow")
@ExtendWith(FaultLedger.class)
class FaultDiskTest {
    @TempDir
    Path work;

    private final Mounts mounts = new Mounts();
    private FaultHost host;

    @BeforeEach
    void smallDiskAsRoot() throws Exception {
        Path root = Files.createDirectories(work.resolve("root"));
        mounts.tmpfs(root, 8);
        host = new FaultHost(work);
        assertThat(host.run(host.install(host.bundle("1.0.0", 1))).exitCode()).isZero();
        host.plantMarker();
    }

    @AfterEach
    void stopAgentAndUnmount() {
        try {
            if (host != null) {
                host.close(); // stops the agent, which runs from the tmpfs
            }
        } finally {
            mounts.close();
        }
    }

    @Test
    void aBundleBiggerThanTheDiskIsRefusedByPreflightOrFailsCleanlyMidStaging() throws Exception {
        Path big = host.bigBundle("2.0.0", 2, FaultHost.randomFile(work.resolve("blob"), 12, 7), 1);
        long freeBefore = Files.getFileStore(host.root()).getUsableSpace();

        FaultLedger.caseTried();
        FaultLedger.faultInjected();
        Programs.Run refused = host.run(host.install(big));
        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(4);
        String out = refused.stdout() + refused.stderr();
        assertThat(out).contains("disk", host.root().toString(), "MB free, needs");
        host.assertWhole("1.0.0-1");

        FaultLedger.caseTried();
        FaultLedger.faultInjected();
        Programs.Run full = host.run(host.install(big, "--ignore-preflight", "disk"));
        assertThat(full.exitCode()).as(full.toString()).isEqualTo(7);
        assertThat(full.stderr())
                .contains("no space left on the disk holding " + host.root().resolve("opt/ferry/sample-bot/releases"))
                .doesNotContain("internal error", "Exception");
        host.assertWhole("1.0.0-1"); // no staging folder, no temp file, the old release current and running
        assertThat(Files.getFileStore(host.root()).getUsableSpace())
                .as("the partial staging was deleted")
                .isGreaterThan(freeBefore - 256 * 1024);
        List<String> log = Files.readAllLines(host.fx.logDir().resolve("install.log"));
        JsonNode last = FaultHost.JSON.readTree(log.get(log.size() - 1));
        assertThat(last.path("result").asText()).isEqualTo("failed");
        assertThat(last.path("exitCode").asInt()).isEqualTo(7);
        FaultLedger.recoveryObserved();
    }

    @Test
    void aReadOnlyInstallFolderOrHostFailsCleanlyAndChangesNothing() throws Exception {
        Path v2 = host.bundle("2.0.0", 2);
        Path opt = host.root().resolve("opt");

        FaultLedger.caseTried();
        FaultLedger.faultInjected();
        mounts.bindReadOnly(opt);
        Programs.Run ro = host.run(host.install(v2));
        assertThat(ro.exitCode()).as(ro.toString()).isEqualTo(7);
        assertThat(ro.stderr())
                .contains(
                        "read-only",
                        host.root().resolve("opt/ferry/sample-bot/releases").toString())
                .doesNotContain("internal error");
        host.assertWhole("1.0.0-1");
        mounts.unmount(opt);

        FaultLedger.caseTried();
        FaultLedger.faultInjected();
        // The state folder read-only (the whole tmpfs cannot be remounted ro: the running agent holds its logs open).
        Path state = host.root().resolve("var/lib");
        mounts.bindReadOnly(state);
        JsonNode status = host.status(); // reading still works
        assertThat(status.path("release").asText()).isEqualTo("1.0.0-1");
        Programs.Run locked = host.run(host.install(v2));
        assertThat(locked.exitCode()).as(locked.toString()).isEqualTo(4);
        assertThat(locked.stderr()).contains("cannot take the host lock", "read-only", "nothing changed");
        mounts.unmount(state);
        host.assertWhole("1.0.0-1");

        Programs.Run fine = host.run(host.install(v2));
        assertThat(fine.exitCode()).as(fine.toString()).isZero();
        host.assertWhole("2.0.0-2");
        FaultLedger.recoveryObserved();
    }
}
