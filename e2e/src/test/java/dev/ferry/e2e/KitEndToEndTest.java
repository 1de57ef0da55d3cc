package dev.ferry.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.bundle.testing.JsonDocument;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The one file to carry across, as a user makes and uses it: a bundle from the example profile, packed into a kit by
 * the self-contained bundler image, installed by {@code sh KIT.run install} on a host with no Java, trusting only
 * the keys the kit embeds.
 */
@Tag("slow")
class KitEndToEndTest {
    @TempDir
    static Path work;

    static NoJavaHost host;
    static Path pub;
    static Path kit;

    @BeforeAll
    static void buildOneKit() throws IOException {
        NoJavaHost.assumeImagesBuilt();
        host = new NoJavaHost(work);
        Path keys = work.resolve("keys");
        Programs.Run generate =
                Programs.bundler("keys", "generate", "--name", "release", "--out", keys.toString(), "--no-passphrase");
        assertThat(generate.exitCode()).as(generate.toString()).isZero();
        pub = keys.resolve("release.pub.pem");
        Path token = work.resolve("dmz-east.token");
        Instant now = Instant.now();
        Files.writeString(token, jwt(now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(30))));
        Programs.Run create = Programs.bundler(
                "create",
                "--profile",
                Programs.REPO.resolve("profiles/examples/dmz-east.yaml").toString(),
                "--key",
                keys.resolve("release.key.pem").toString(),
                "--token",
                token.toString(),
                "--out",
                work.resolve("bundles").toString(),
                "--json");
        assertThat(create.exitCode()).as(create.toString()).isZero();
        // --json: one document on stdout (no progress bar, warnings on stderr) naming the bundle as stock tools see it.
        JsonNode created = JsonDocument.parse(create.stdout());
        Path bundle = Path.of(created.path("path").asText());
        assertThat(bundle).isRegularFile().hasParent(work.resolve("bundles"));
        assertThat(created.path("size").asLong()).isEqualTo(Files.size(bundle));
        assertThat(created.path("sha256").asText()).isEqualTo(sha256sum(bundle));
        assertThat(created.path("name").asText()).isEqualTo("certinext-bot");
        assertThat(created.path("version").asText()).isEqualTo("1.4.2");
        assertThat(created.path("keyIds")).hasSize(1);

        // The bundler image, with no Java on the host, finds the installer image beside it.
        Programs.Run pack = host.run(
                work,
                NoJavaHost.IMAGES.resolve("bundler/bin/bundler").toString(),
                "kit",
                "--bundle",
                bundle.toString(),
                "--trust",
                pub.toString(),
                "--out",
                work.resolve("kits").toString(),
                "--json");
        assertThat(pack.exitCode()).as(pack.toString()).isZero();
        assertThat(pack.stderr())
                .as("no JVM warning (Java 25 warns when zstd-jni loads its library without native access)")
                .doesNotContain("WARNING");
        kit = work.resolve("kits/certinext-bot-1.4.2-linux-x64.kit.run");
        JsonNode packed = JsonDocument.parse(pack.stdout());
        assertThat(packed.path("kit").asText()).isEqualTo(kit.toString());
        assertThat(packed.path("sha256File").asText()).isEqualTo(kit + ".sha256");
        assertThat(packed.path("size").asLong()).isEqualTo(Files.size(kit));
        assertThat(packed.path("sha256").asText()).isEqualTo(sha256sum(kit));
        assertThat(packed.path("name").asText()).isEqualTo("certinext-bot");
        assertThat(packed.path("version").asText()).isEqualTo("1.4.2");
    }

    /** The digest as the stock sha256sum prints it. */
    private static String sha256sum(Path file) {
        Programs.Run sum = Programs.run(Map.of(), "sha256sum", file.toString());
        assertThat(sum.exitCode()).as(sum.toString()).isZero();
        return sum.stdout().substring(0, 64);
    }

    @Test
    void theKitInstallsOnAHostWithNoJavaTrustingOnlyItsEmbeddedKeys() throws IOException {
        Path root = work.resolve("host-root");

        Programs.Run install = host.run(
                work,
                "sh",
                kit.toString(),
                "install",
                "--root",
                root.toString(),
                "--service-manager",
                "none",
                "--skip-selftest");

        assertThat(install.exitCode()).as(install.toString()).isZero();
        Path current = root.resolve("opt/ferry/certinext-bot/current");
        assertThat(current).isSymbolicLink();
        assertThat(current.resolve("runtime")).isDirectory();
        assertThat(root.resolve("etc/ferry/trust.d"))
                .as("no key given to the host: the kit's embedded key was trusted")
                .satisfiesAnyOf(
                        d -> assertThat(d).doesNotExist(), d -> assertThat(d).isEmptyDirectory());
        try (Stream<Path> left = Files.list(host.home())) {
            assertThat(left)
                    .as("the kit's temporary folder is removed")
                    .noneMatch(p -> p.getFileName().toString().startsWith("ferry-kit."));
        }
    }

    @Test
    void theChecksumFilePassesSha256sum() {
        Programs.Run check = host.run(kit.getParent(), "sha256sum", "-c", kit.getFileName() + ".sha256");
        assertThat(check.exitCode()).as(check.toString()).isZero();
        assertThat(check.stdout()).contains(kit.getFileName() + ": OK");
    }

    @Test
    void extractUnpacksTheImageWithTheKeyAndTheBundle() throws IOException {
        Path dir = work.resolve("unpacked");

        Programs.Run extract = host.run(work, "sh", kit.toString(), "extract", dir.toString());

        assertThat(extract.exitCode()).as(extract.toString()).isZero();
        try (Stream<Path> keys = Files.list(dir.resolve("installer/lib/app/trust.d"))) {
            assertThat(keys.toList())
                    .singleElement()
                    .satisfies(k -> assertThat(k).hasSameTextualContentAs(pub));
        }
        try (Stream<Path> bundles = Files.list(dir.resolve("bundle"))) {
            assertThat(bundles.toList())
                    .singleElement()
                    .satisfies(b -> assertThat(b.toString()).endsWith(".bundle.tar.zst"));
        }
        Programs.Run version =
                host.run(work, dir.resolve("installer/bin/installer").toString(), "--version");
        assertThat(version.exitCode()).as(version.toString()).isZero();
        assertThat(version.stderr())
                .as("a moved image starts quietly without its CDS archive")
                .isEmpty();
    }

    @Test
    void aKitWithOneByteFlippedRefusesToRun() throws IOException {
        Path tampered = work.resolve("tampered.kit.run");
        Files.copy(kit, tampered);
        try (RandomAccessFile file = new RandomAccessFile(tampered.toFile(), "rw")) {
            long at = file.length() / 2;
            file.seek(at);
            int b = file.read();
            file.seek(at);
            file.write(b ^ 0x40);
        }
        Path root = work.resolve("tampered-root");

        Programs.Run install = host.run(
                work, "sh", tampered.toString(), "install", "--root", root.toString(), "--service-manager", "none");

        assertThat(install.exitCode()).as(install.toString()).isEqualTo(3);
        assertThat(install.stderr()).contains("is damaged or was altered");
        assertThat(root).doesNotExist();
    }

    private static String jwt(Instant nbf, Instant exp) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String header = b64.encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8));
        String claims = b64.encodeToString(
                ("{\"nbf\":" + nbf.getEpochSecond() + ",\"exp\":" + exp.getEpochSecond() + ",\"jti\":\"kit-e2e\"}")
                        .getBytes(StandardCharsets.UTF_8));
        return header + "." + claims + ".c2ln";
    }
}
