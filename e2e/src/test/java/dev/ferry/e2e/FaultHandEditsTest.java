package dev.ferry.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A technician changed the host by hand. Decision: Ferry owns the files it renders and the token, so reinstall
 * re-renders an edited file, puts back a deleted one and resets the token to 0600; a file the technician added to
 * the config folder is theirs and is kept. Whole folders deleted by hand (config, logs) come back the same way.
 */
@Tag("slow")
@ExtendWith(FaultLedger.class)
class FaultHandEditsTest {
    @TempDir
    Path work;

    @Test
    void reinstallRepairsEditedDeletedAndLoosenedConfigAndKeepsAddedFiles() throws Exception {
        try (FaultHost host = new FaultHost(work)) {
            Path v1 = host.bundle("1.0.0", 1);
            assertThat(host.run(host.install(v1)).exitCode()).isZero();
            host.plantMarker();
            Path config = host.fx.configDir();
            String rendered = Files.readString(config.resolve("agent.yaml"));
            String token = Files.readString(config.resolve("token"));

            FaultLedger.caseTried();
            Files.writeString(config.resolve("agent.yaml"), rendered + "tampered: true\n");
            Files.writeString(config.resolve("local-notes.txt"), "the technician's own file\n");
            Files.delete(config.resolve("token"));
            FaultLedger.faultInjected();
            Programs.Run repaired = host.run(host.reinstall(v1));
            assertThat(repaired.exitCode()).as(repaired.toString()).isZero();
            assertThat(config.resolve("agent.yaml")).hasContent(rendered);
            assertThat(config.resolve("token")).hasContent(token);
            assertThat(config.resolve("local-notes.txt")).hasContent("the technician's own file\n");
            host.assertWhole("1.0.0-1");
            FaultLedger.recoveryObserved();

            FaultLedger.caseTried();
            Files.setPosixFilePermissions(config.resolve("token"), PosixFilePermissions.fromString("rw-r--r--"));
            FaultLedger.faultInjected();
            assertThat(host.run(host.reinstall(v1)).exitCode()).isZero();
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(config.resolve("token"))))
                    .isEqualTo("rw-------");
            FaultLedger.recoveryObserved();

            FaultLedger.caseTried();
            Files.writeString(host.fx.release().resolve("runtime/bin/agent"), "#!/bin/sh\necho tampered\n");
            FaultLedger.faultInjected();
            assertThat(host.status().path("drift")).extracting(JsonNode::asText).containsExactly("runtime/bin/agent");
            assertThat(host.run(host.reinstall(v1)).exitCode()).isZero();
            host.assertWhole("1.0.0-1");
            FaultLedger.recoveryObserved();
        }
    }

    @Test
    void foldersDeletedByHandComeBackWithReinstall() throws Exception {
        try (FaultHost host = new FaultHost(work)) {
            Path v1 = host.bundle("1.0.0", 1);
            assertThat(host.run(host.install(v1)).exitCode()).isZero();
            host.plantMarker();

            FaultLedger.caseTried();
            FaultLedger.faultInjected();
            deleteTree(host.fx.configDir());
            deleteTree(host.root().resolve("var/log/ferry")); // the parent of the agent's log folder
            JsonNode s = host.status();
            assertThat(s.path("release").asText()).isEqualTo("1.0.0-1");
            Programs.Run repaired = host.run(host.reinstall(v1));
            assertThat(repaired.exitCode()).as(repaired.toString()).isZero();
            host.assertWhole("1.0.0-1");
            assertThat(host.fx.logDir().resolve("install.log")).exists();
            FaultLedger.recoveryObserved();
        }
    }

    private static void deleteTree(Path dir) throws Exception {
        try (var all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
