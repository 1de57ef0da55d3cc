package dev.ferry.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SPEC section 11, split bundles, as a user carries them on small media: {@code bundler create --split-size} and
 * {@code bundler split} write parts that stock {@code cat} joins back to the bundle; verify, inspect, install and
 * kit take the index or the first part and read the parts in order; a damaged part is named and nothing changes.
 */
@Tag("slow")
class SplitBundlesEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path work;

    @Test
    void createWritesPartsThatCatBackToTheBundleCreateWouldHaveWritten() throws IOException {
        Path keys = work.resolve("keys");
        assertOk(
                Programs.bundler("keys", "generate", "--name", "release", "--out", keys.toString(), "--no-passphrase"));
        Path token = work.resolve("token");
        Instant now = Instant.now();
        Files.writeString(
                token,
                InstallerFixture.jwt("tok-split", now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(30))));
        Map<String, String> env = Map.of(
                "SOURCE_DATE_EPOCH",
                String.valueOf(now.minus(Duration.ofHours(2)).getEpochSecond()));
        String[] create = {
            Programs.REPO.resolve("bin/bundler").toString(),
            "create",
            "--profile",
            Programs.REPO.resolve("profiles/examples/dmz-east.yaml").toString(),
            "--key",
            keys.resolve("release.key.pem").toString(),
            "--token",
            token.toString()
        };

        assertOk(Programs.run(env, concat(create, "--out", work.resolve("whole").toString())));
        Programs.Run split = Programs.run(
                env, concat(create, "--out", work.resolve("parts").toString(), "--split-size", "2K", "--json"));
        assertOk(split);

        JsonNode doc = JSON.readTree(split.stdout());
        Path whole = work.resolve("whole/certinext-bot-1.4.2.bundle.tar.zst");
        assertThat(doc.path("index").asText()).endsWith("certinext-bot-1.4.2.bundle.tar.zst.parts");
        assertThat(doc.path("parts").size()).isGreaterThan(1);
        assertThat(Files.exists(work.resolve("parts/certinext-bot-1.4.2.bundle.tar.zst")))
                .as("the whole bundle is not left beside its parts")
                .isFalse();
        assertThat(stockSha256(work.resolve("parts"), "cat certinext-bot-1.4.2.bundle.tar.zst.0* | sha256sum"))
                .isEqualTo(stockSha256(work.resolve("whole"), "sha256sum < certinext-bot-1.4.2.bundle.tar.zst"))
                .isEqualTo(doc.path("sha256").asText());
        assertThat(whole).exists();

        Programs.Run verify = Programs.bundler(
                "verify",
                work.resolve("parts/certinext-bot-1.4.2.bundle.tar.zst.001").toString(),
                "--trust",
                keys.resolve("release.pub.pem").toString());
        assertOk(verify);
        Programs.Run inspect = Programs.bundler("inspect", doc.path("index").asText(), "--json");
        assertOk(inspect);
        assertThat(JSON.readTree(inspect.stdout()).path("name").asText()).isEqualTo("certinext-bot");
    }

    @Test
    void installFromTheFirstPartIsTheInstallOfTheWholeBundleAndADamagedPartIsNamed() throws IOException {
        try (InstallerFixture host = new InstallerFixture(work, "process")) {
            Path bundle = host.bundle(
                    InstallerFixture.BundleOptions.of("1.0.0", 1).withAgent(withNoise(InstallerFixture.AGENT)));
            Path parts = work.resolve("usb");
            Programs.Run split =
                    Programs.bundler("split", bundle.toString(), "--size", "64K", "--out", parts.toString());
            assertOk(split);
            List<Path> files = list(parts);
            assertThat(files)
                    .extracting(p -> p.getFileName().toString())
                    .contains(
                            "sample-bot-1.0.0.bundle.tar.zst.001",
                            "sample-bot-1.0.0.bundle.tar.zst.002",
                            "sample-bot-1.0.0.bundle.tar.zst.parts");
            assertThat(Files.exists(bundle)).as("split keeps the bundle").isTrue();
            assertThat(stockSha256(parts, "cat sample-bot-1.0.0.bundle.tar.zst.0* | sha256sum"))
                    .isEqualTo(stockSha256(bundle.getParent(), "sha256sum < " + bundle.getFileName()));

            // Damage the second part: verify and install both name it; the host is untouched.
            Path second = parts.resolve("sample-bot-1.0.0.bundle.tar.zst.002");
            byte[] good = Files.readAllBytes(second);
            byte[] bad = good.clone();
            bad[100] ^= 1;
            Files.write(second, bad);
            int count = (int)
                    files.stream().filter(p -> !p.toString().endsWith(".parts")).count();
            String named =
                    "part 2 of " + count + " (sample-bot-1.0.0.bundle.tar.zst.002): sha256 mismatch, copy it again";
            Programs.Run verify = host.installer(
                    "verify",
                    "--bundle",
                    parts.resolve("sample-bot-1.0.0.bundle.tar.zst.001").toString(),
                    "--trust",
                    host.trustPem.toString());
            assertThat(verify.exitCode()).as(verify.toString()).isEqualTo(3);
            assertThat(verify.stderr()).contains(named);
            Programs.Run refused = host.install(parts.resolve("sample-bot-1.0.0.bundle.tar.zst.001"));
            assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(3);
            assertThat(refused.stderr()).contains(named);
            assertThat(host.tree("opt")).allMatch(p -> !p.contains("releases/1.0.0"));

            Files.write(second, good);
            Programs.Run install = host.install(parts.resolve("sample-bot-1.0.0.bundle.tar.zst.parts"));
            assertOk(install);
            Programs.Run status = host.installer("status", "--json");
            JsonNode doc = JSON.readTree(status.stdout());
            assertThat(doc.path("version").asText()).isEqualTo("1.0.0");
            assertThat(doc.path("drift")).isEmpty();
            assertThat(Files.mismatch(
                            host.release().resolve("runtime/bin/agent"), bundleFile(host, "runtime/bin/agent")))
                    .isEqualTo(-1L);

            // The same bundle by its whole name, where only the parts are: reinstall reads the parts.
            Programs.Run reinstall = host.installer(
                    "reinstall",
                    "--bundle",
                    parts.resolve("sample-bot-1.0.0.bundle.tar.zst").toString(),
                    "--trust",
                    host.trustPem.toString());
            assertOk(reinstall);
        }
    }

    @Test
    void kitTakesTheIndexAndCarriesTheWholeBundle() throws IOException {
        NoJavaHost.assumeImagesBuilt();
        try (InstallerFixture host = new InstallerFixture(work, "process")) {
            Path bundle = host.bundle(
                    InstallerFixture.BundleOptions.of("1.0.0", 1).withAgent(withNoise(InstallerFixture.AGENT)));
            Path parts = work.resolve("usb");
            assertOk(Programs.bundler("split", bundle.toString(), "--size", "64K", "--out", parts.toString()));
            Programs.Run kit = Programs.bundler(
                    "kit",
                    "--bundle",
                    parts.resolve("sample-bot-1.0.0.bundle.tar.zst.parts").toString(),
                    "--trust",
                    host.trustPem.toString(),
                    "--out",
                    work.resolve("kits").toString(),
                    "--installer-image",
                    NoJavaHost.IMAGES.resolve("installer").toString());
            assertOk(kit);
            Path extracted = work.resolve("x");
            Programs.Run extract = Programs.run(
                    Map.of(),
                    "sh",
                    work.resolve("kits/sample-bot-1.0.0-linux-x64.kit.run").toString(),
                    "extract",
                    extracted.toString());
            assertOk(extract);
            assertThat(Files.mismatch(extracted.resolve("bundle/sample-bot-1.0.0.bundle.tar.zst"), bundle))
                    .isEqualTo(-1L);
        }
    }

    /** An agent script with ~200 KB of incompressible comment, so the bundle needs several 64K parts. */
    private static String withNoise(String agent) {
        byte[] noise = new byte[150_000];
        new Random(11).nextBytes(noise);
        return agent + "# " + Base64.getEncoder().encodeToString(noise) + "\n";
    }

    private static Path bundleFile(InstallerFixture host, String relative) throws IOException {
        Path x = Files.createDirectories(host.work.resolve("extracted-" + System.nanoTime()));
        Path bundle;
        try (Stream<Path> found = Files.walk(host.work.resolve("bundles"))) {
            bundle = found.filter(p -> p.toString().endsWith(".bundle.tar.zst"))
                    .findFirst()
                    .orElseThrow();
        }
        assertOk(Programs.run(Map.of(), "sh", "-c", "zstd -dc '" + bundle + "' | tar -x -C '" + x + "'"));
        return x.resolve("payload").resolve(relative);
    }

    private static String stockSha256(Path dir, String script) {
        Programs.Run run = Programs.run(Map.of(), dir, "sh", "-c", script);
        assertOk(run);
        return run.stdout().split("\\s+")[0];
    }

    private static List<Path> list(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.sorted().toList();
        }
    }

    private static String[] concat(String[] first, String... more) {
        return Stream.concat(Stream.of(first), Stream.of(more)).toArray(String[]::new);
    }

    private static void assertOk(Programs.Run run) {
        assertThat(run.exitCode()).as(run.toString()).isZero();
    }
}
