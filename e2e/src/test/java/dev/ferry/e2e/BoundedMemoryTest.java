package dev.ferry.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.bundle.testing.JsonDocument;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SPEC section 9: memory does not grow with bundle size. {@code bin/bundler create} and {@code bin/installer install}
 * each run in a 64 MiB heap on a bundle well over twice that (incompressible payload): a program that held a payload
 * file, or the bundle, in memory would die of OutOfMemoryError (exit 1).
 */
@Tag("slow")
class BoundedMemoryTest {
    private static final String SMALL_HEAP = "-Xmx64m";
    private static final int PAYLOAD_MB = 160;

    @TempDir
    Path work;

    @Test
    void createAndInstallABundleSeveralTimesLargerThanTheirHeap() throws IOException {
        Path examples = copyTree(Programs.REPO.resolve("profiles/examples"), work.resolve("examples"));
        Path blob = FaultHost.randomFile(examples.resolve("runtime/certinext-bot/blob.bin"), PAYLOAD_MB, 9);
        Programs.Run keys = Programs.bundler(
                "keys",
                "generate",
                "--name",
                "release",
                "--out",
                work.resolve("signing").toString(),
                "--no-passphrase");
        assertThat(keys.exitCode()).as(keys.toString()).isZero();
        Instant now = Instant.now();
        Path token = Files.writeString(
                work.resolve("token.jwt"),
                InstallerFixture.jwt("tok-memory", now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(30))));

        Programs.Run create = Programs.run(
                Map.of("FERRY_JAVA_OPTS", SMALL_HEAP),
                Programs.REPO.resolve("bin/bundler").toString(),
                "create",
                "--profile",
                examples.resolve("dmz-east.yaml").toString(),
                "--key",
                work.resolve("signing/release.key.pem").toString(),
                "--token",
                token.toString(),
                "--out",
                work.resolve("out").toString(),
                "--json");
        assertThat(create.exitCode()).as(create.toString()).isZero();
        JsonNode created = JsonDocument.parse(create.stdout());
        Path bundle = Path.of(created.path("path").asText());
        assertThat(Files.size(bundle)).as("the bundle is over twice the heap").isGreaterThan(128L << 20);

        try (InstallerFixture host = new InstallerFixture(work, "none")) {
            Programs.Run install = host.installerWithEnv(
                    Map.of("FERRY_JAVA_OPTS", SMALL_HEAP),
                    "install",
                    "--bundle",
                    bundle.toString(),
                    "--trust",
                    work.resolve("signing/release.pub.pem").toString(),
                    "--skip-selftest");
            assertThat(install.exitCode()).as(install.toString()).isZero();
            Path installed = host.root.resolve("opt/ferry/certinext-bot/current/runtime/blob.bin");
            assertThat(Files.mismatch(installed, blob))
                    .as("installed byte for byte")
                    .isEqualTo(-1L);
        }
    }

    private static Path copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> all = Files.walk(from)) {
            for (Path source : (Iterable<Path>) all::iterator) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        return to;
    }
}
