package dev.ferry.installer.status;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import dev.ferry.bundle.FileEntry;
import dev.ferry.bundle.Manifest;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class DriftTest {
    @Test
    void reportsChangedMissingAndReplacedFilesButNotMovedSecrets() throws Exception {
        try (FileSystem fs = Jimfs.newFileSystem(Configuration.unix())) {
            Path release = fs.getPath("/r");
            Files.createDirectories(release.resolve("runtime/bin"));
            Files.writeString(release.resolve("runtime/bin/agent"), "agent");
            Files.writeString(release.resolve("runtime/lib.so"), "lib");
            Files.writeString(release.resolve("runtime/README"), "readme");
            Manifest m = new Manifest(
                    Manifest.FORMAT,
                    "bot",
                    "1",
                    1,
                    Instant.EPOCH,
                    Instant.EPOCH,
                    null,
                    null,
                    List.of(
                            entry("payload/runtime/README", "readme"),
                            entry("payload/runtime/bin/agent", "agent"),
                            entry("payload/runtime/gone", "gone"),
                            entry("payload/runtime/lib.so", "lib"),
                            entry("payload/secrets/token", "tok")));
            assertThat(Drift.of(release, m)).containsExactly("runtime/gone");

            Files.writeString(release.resolve("runtime/bin/agent"), "agenT");
            Files.delete(release.resolve("runtime/lib.so"));
            Files.createSymbolicLink(release.resolve("runtime/lib.so"), release.resolve("runtime/README"));
            assertThat(Drift.of(release, m)).containsExactly("runtime/bin/agent", "runtime/gone", "runtime/lib.so");
        }
    }

    private static FileEntry entry(String path, String content) throws Exception {
        byte[] b = content.getBytes(StandardCharsets.UTF_8);
        return new FileEntry(
                path,
                b.length,
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b)),
                "0644");
    }
}
