package dev.ferry.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.bundle.BundleReader;
import dev.ferry.bundle.FileEntry;
import dev.ferry.bundle.Manifest;
import dev.ferry.bundle.testing.RawBundleWriter;
import dev.ferry.e2e.InstallerFixture.BundleOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SPEC section 11, delta bundles, through {@code bin/bundler} and {@code bin/installer}: a delta installs over its
 * base to exactly what the full bundle installs (bytes and modes, no drift); without its base, over another build
 * of it, or over a damaged base it is refused with exit 4 and the host is byte-identical afterwards.
 */
@Tag("slow")
class DeltaBundlesEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A large file the upgrade leaves alone, so the delta is small beside the full bundle. */
    private static final String BIG = "payload/runtime/lib/big.bin";

    @TempDir
    Path work;

    @Test
    void aDeltaOverItsBaseInstallsExactlyWhatTheFullBundleInstalls() throws IOException {
        try (InstallerFixture viaDelta = new InstallerFixture(work.resolve("a"), "process");
                InstallerFixture viaFull = new InstallerFixture(work.resolve("b"), "process")) {
            Path base = viaDelta.bundle(BundleOptions.of("1.0.0", 1));
            Path delta = viaDelta.delta(BundleOptions.of("1.1.0", 2), base);
            Path full = viaDelta.bundle(BundleOptions.of("1.1.0", 2));
            Manifest deltaManifest = BundleReader.readManifest(delta).manifest();
            assertThat(deltaManifest.base().manifestSha256()).hasSize(64);
            assertThat(deltaManifest.files())
                    .filteredOn(FileEntry::fromBase)
                    .extracting(FileEntry::path)
                    .contains("payload/templates/agent.yaml.mustache")
                    .doesNotContain("payload/secrets/token", "payload/runtime/VERSION");

            // Stock tools extract what the delta carries, and only that.
            Path x = Files.createDirectories(work.resolve("x"));
            assertOk(Programs.run(Map.of(), "sh", "-c", "zstd -dc '" + delta + "' | tar -x -C '" + x + "'"));
            assertThat(x.resolve("payload/runtime/VERSION")).exists();
            assertThat(x.resolve("payload/templates/agent.yaml.mustache")).doesNotExist();

            // inspect names the base and the bytes carried and reused.
            Programs.Run inspect = Programs.bundler("inspect", delta.toString(), "--json");
            assertOk(inspect);
            JsonNode d = JSON.readTree(inspect.stdout()).path("delta");
            assertThat(d.path("base").path("version").asText()).isEqualTo("1.0.0");
            assertThat(d.path("reusedFiles").asLong())
                    .isEqualTo(deltaManifest.files().stream()
                            .filter(FileEntry::fromBase)
                            .count());
            assertThat(d.path("carriedBytes").asLong() + d.path("reusedBytes").asLong())
                    .isEqualTo(deltaManifest.files().stream()
                            .mapToLong(FileEntry::publishedSize)
                            .sum());

            // The trusted key of viaDelta signs both hosts' bundles.
            Files.copy(viaDelta.trustPem, viaFull.trustPem, StandardCopyOption.REPLACE_EXISTING);
            assertOk(viaDelta.install(base, "--skip-selftest"));
            Programs.Run status = viaDelta.installer("status", "--json");
            String baseSha = JSON.readTree(status.stdout())
                    .path("deltaBases")
                    .get(0)
                    .path("manifestSha256")
                    .asText();
            assertThat(baseSha).isEqualTo(deltaManifest.base().manifestSha256());
            assertOk(viaDelta.install(delta, "--skip-selftest"));
            assertOk(viaFull.install(base, "--skip-selftest"));
            assertOk(viaFull.install(full, "--skip-selftest"));

            assertThat(JSON.readTree(viaDelta.installer("status", "--json").stdout())
                            .path("drift"))
                    .isEmpty();
            assertThat(payloadTree(viaDelta.release())).isEqualTo(payloadTree(viaFull.release()));
        }
    }

    @Test
    void withoutItsBaseOverAnotherBuildOrOverADamagedBaseADeltaIsRefusedAndNothingChanges() throws IOException {
        try (InstallerFixture host = new InstallerFixture(work, "process")) {
            // Kept aside: the fixture writes every 1.0.0-1 build to the same place.
            Path base = Files.copy(
                    host.bundle(BundleOptions.of("1.0.0", 1)),
                    Files.createDirectories(work.resolve("kept")).resolve("sample-bot-1.0.0.bundle.tar.zst"));
            Path delta = host.delta(BundleOptions.of("1.1.0", 2), base);

            // No base installed at all.
            assertRefused(host, delta, "which is not installed here", "carry the full bundle");

            // Another build of 1.0.0-1 (other token, so other manifest bytes) is installed.
            Path otherBuild =
                    host.bundle(BundleOptions.of("1.0.0", 1).withAgent(InstallerFixture.AGENT + "# other build\n"));
            assertOk(host.install(otherBuild, "--skip-selftest"));
            assertRefused(host, delta, "is a different build", "carry the full bundle");
            assertOk(host.installer("uninstall", "--purge"));

            // The right base, with a reused file damaged (same size, other bytes): found while composing.
            assertOk(host.install(base, "--skip-selftest"));
            Path template = host.release().resolve("templates/agent.yaml.mustache");
            byte[] good = Files.readAllBytes(template);
            byte[] bad = good.clone();
            bad[0] ^= 1;
            Files.write(template, bad);
            assertRefused(host, delta, "templates/agent.yaml.mustache from the base release 1.0.0-1", "reinstall");
            // ... and missing: found by preflight, before anything is unpacked.
            Files.delete(template);
            assertRefused(
                    host, delta, "templates/agent.yaml.mustache in release 1.0.0-1 is missing or damaged", "reinstall");
            Files.write(template, good);
            Files.setPosixFilePermissions(template, PosixFilePermissions.fromString("rw-r--r--"));
            assertOk(host.install(delta, "--skip-selftest"));
        }
    }

    @Test
    void aSignedDeltaThatReusesAFileTheBaseDoesNotHaveIsRefused() throws IOException {
        try (InstallerFixture host = new InstallerFixture(work, "process")) {
            Path base = host.bundle(BundleOptions.of("1.0.0", 1));
            Path genuine = host.delta(BundleOptions.of("1.1.0", 2), base);
            assertOk(host.install(base, "--skip-selftest"));
            // The genuine delta plus a file marked from: base that no release of the base holds, re-signed.
            Manifest m = BundleReader.readManifest(genuine).manifest();
            List<FileEntry> files = new ArrayList<>(m.files());
            files.add(new FileEntry("payload/runtime/lib/planted.so", 4, "ab".repeat(32), "0755", true));
            files.sort((a, b) -> a.path().compareTo(b.path()));
            Manifest hostile = new Manifest(
                    m.format(),
                    m.name(),
                    m.version(),
                    m.sequence(),
                    m.createdAt(),
                    m.expiresAt(),
                    m.profile(),
                    m.token(),
                    files,
                    m.base());
            RawBundleWriter raw = RawBundleWriter.create().signedManifest(hostile, host.key);
            Path x = Files.createDirectories(work.resolve("x"));
            assertOk(Programs.run(Map.of(), "sh", "-c", "zstd -dc '" + genuine + "' | tar -x -C '" + x + "'"));
            for (FileEntry f : m.files()) {
                if (!f.fromBase()) {
                    raw.file(f.path(), Files.readAllBytes(x.resolve(f.path())), Integer.parseInt(f.mode(), 8));
                }
            }
            Path planted = raw.endOfArchive().writeTo(work.resolve("planted/sample-bot-1.1.0.bundle.tar.zst"));
            assertRefused(
                    host, planted, "runtime/lib/planted.so in release 1.0.0-1 is missing or damaged", "reinstall");
        }
    }

    @Test
    void aDeltaCanBeBuiltAgainstASplitBaseAndTravelSplitItself() throws IOException {
        try (InstallerFixture host = new InstallerFixture(work, "process")) {
            Path base = host.bundle(BundleOptions.of("1.0.0", 1));
            assertOk(Programs.bundler(
                    "split",
                    base.toString(),
                    "--size",
                    "1K",
                    "--out",
                    work.resolve("base-parts").toString()));
            Path delta = host.delta(
                    BundleOptions.of("1.1.0", 2), work.resolve("base-parts/sample-bot-1.0.0.bundle.tar.zst.parts"));
            assertThat(BundleReader.readManifest(delta).manifest().base().manifestSha256())
                    .isEqualTo(BundleReader.readManifest(host.delta(BundleOptions.of("1.1.0", 2), base))
                            .manifest()
                            .base()
                            .manifestSha256());
            assertOk(Programs.bundler(
                    "split",
                    delta.toString(),
                    "--size",
                    "1K",
                    "--out",
                    work.resolve("delta-parts").toString()));
            assertOk(host.install(work.resolve("base-parts/sample-bot-1.0.0.bundle.tar.zst.001"), "--skip-selftest"));
            assertOk(host.install(work.resolve("delta-parts/sample-bot-1.1.0.bundle.tar.zst.001"), "--skip-selftest"));
            assertThat(JSON.readTree(host.installer("status", "--json").stdout())
                            .path("version")
                            .asText())
                    .isEqualTo("1.1.0");
        }
    }

    private static void assertRefused(InstallerFixture host, Path delta, String evidence, String remedy) {
        Map<String, String> before = snapshot(host.root);
        Programs.Run run = host.install(delta, "--skip-selftest");
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(4);
        assertThat(run.stdout() + run.stderr()).contains(evidence).contains(remedy);
        Map<String, String> after = snapshot(host.root);
        // Every refusal logs one install.log line; on a fresh host that makes the log and lock folders.
        String log = "var/log/ferry/" + InstallerFixture.NAME + "/install.log";
        after.keySet().removeIf(k -> (log + "/").startsWith(k + "/") || "var/lib/ferry/".startsWith(k + "/"));
        before.keySet().removeIf(k -> (log + "/").startsWith(k + "/") || "var/lib/ferry/".startsWith(k + "/"));
        assertThat(after).as("nothing changed but install.log").isEqualTo(before);
    }

    /** Every path under root with its mode and content digest; the lock file's pid left out. */
    private static Map<String, String> snapshot(Path root) {
        Map<String, String> tree = new TreeMap<>();
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                String key = root.relativize(p).toString();
                if (key.endsWith(".lock")) {
                    continue;
                }
                String mode =
                        PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
                String content = Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)
                        ? HexFormat.of()
                                .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)))
                        : Files.isSymbolicLink(p) ? "-> " + Files.readSymbolicLink(p) : "dir";
                tree.put(key, mode + " " + content);
            }
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
        return tree;
    }

    /** The release's files but its manifest.json (the delta's names its base): path, mode, bytes. */
    private static Map<String, String> payloadTree(Path release) throws IOException {
        Map<String, String> tree = snapshot(release.toRealPath());
        tree.remove("manifest.json");
        return tree;
    }

    private static void assertOk(Programs.Run run) {
        assertThat(run.exitCode()).as(run.toString()).isZero();
    }
}
