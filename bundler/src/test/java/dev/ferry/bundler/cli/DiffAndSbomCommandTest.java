package dev.ferry.bundler.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.bundle.FileEntry;
import dev.ferry.bundle.WrittenBundle;
import dev.ferry.bundle.testing.TestKeys;
import dev.ferry.bundle.testing.TestKeys.TestKey;
import dev.ferry.bundler.create.BundleCreator;
import dev.ferry.cli.FerryCli;
import dev.ferry.cli.Json;
import dev.ferry.common.Progress;
import dev.ferry.profiles.ProfileLoader;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bundler diff} on two bundles of the example profile with a known change, and {@code inspect --sbom}. */
class DiffAndSbomCommandTest {
    // The commands read no clock for these answers; the bundles are made valid around now all the same.
    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);

    @TempDir
    Path dir;

    private TestKey key;
    private WrittenBundle old;
    private WrittenBundle next;
    private WrittenBundle delta;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeEach
    void twoReleases() throws IOException {
        key = TestKeys.create(dir.resolve("keys"), "release");
        Path examples = copyExamples(dir.resolve("examples"));
        Path runtime = examples.resolve("runtime/certinext-bot");
        Files.createDirectories(runtime.resolve("lib"));
        widgetJar(runtime.resolve("lib/widget.jar"), "1.0");
        Files.writeString(runtime.resolve("lib/retired.txt"), "going away\n");
        old = create(examples, dir.resolve("old"), 100, null);

        widgetJar(runtime.resolve("lib/widget.jar"), "1.1");
        Files.delete(runtime.resolve("lib/retired.txt"));
        Files.writeString(runtime.resolve("lib/added.txt"), "new in 1.4.3\n");
        Files.writeString(
                examples.resolve("base.yaml"),
                Files.readString(examples.resolve("base.yaml")).replace("version: 1.4.2", "version: 1.4.3"));
        Files.writeString(
                examples.resolve("dmz-east.yaml"),
                Files.readString(examples.resolve("dmz-east.yaml"))
                        .replace("http://proxy.corp.example:3128", "http://proxy2.corp.example:3128"));
        next = create(examples, dir.resolve("new"), 200, null);
        delta = create(examples, dir.resolve("delta"), 200, old.path());
    }

    @Test
    void diffReadsADeltaBundleAsTheReleaseItDescribes() throws Exception {
        assertThat(delta.manifest().files()).anyMatch(FileEntry::fromBase);
        assertThat(run("diff", old.path().toString(), delta.path().toString(), "--json"))
                .isZero();
        JsonNode doc = Json.MAPPER.readTree(out.toString());
        assertThat(doc.get("components"))
                .extracting(
                        c -> c.get("id").asText() + " " + c.get("newVersion").asText())
                .containsExactly("certinext-bot 1.4.3", "pkg:maven/org.example/widget 1.1");
        assertThat(doc.at("/files/added/0/path").asText()).isEqualTo("payload/runtime/lib/added.txt");
        assertThat(doc.at("/files/removed/0/path").asText()).isEqualTo("payload/runtime/lib/retired.txt");
    }

    @Test
    void diffNamesTheFilesComponentsProfileFieldsSignersAndSequences() {
        assertThat(run(
                        "diff",
                        old.path().toString(),
                        next.path().toString(),
                        "--trust",
                        key.publicPem().toString()))
                .isZero();
        String text = out.toString();
        assertThat(text)
                .contains(
                        "certinext-bot 1.4.2 (sequence 100",
                        "certinext-bot 1.4.3 (sequence 200",
                        "old: " + key.keyId() + " (trusted)",
                        "new: " + key.keyId() + " (trusted)",
                        "  + payload/runtime/lib/added.txt  (13 B)",
                        "  - payload/runtime/lib/retired.txt  (11 B)",
                        "  ~ payload/runtime/lib/widget.jar",
                        "  ~ pkg:maven/org.example/widget  1.0 -> 1.1",
                        "  ~ certinext-bot  1.4.2 -> 1.4.3",
                        "  ~ agent.version: 1.4.2 -> 1.4.3",
                        "  ~ proxy.url: http://proxy.corp.example:3128 -> http://proxy2.corp.example:3128");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void diffJsonIsOneCompleteDocument() throws Exception {
        assertThat(run("diff", old.path().toString(), next.path().toString(), "--json"))
                .isZero();
        JsonNode doc = Json.MAPPER.readTree(out.toString());
        assertThat(doc.at("/old/sequence").asLong()).isEqualTo(100);
        assertThat(doc.at("/new/sequence").asLong()).isEqualTo(200);
        assertThat(doc.at("/new/signers/0/keyId").asText()).isEqualTo(key.keyId());
        assertThat(doc.at("/files/added/0/path").asText()).isEqualTo("payload/runtime/lib/added.txt");
        assertThat(doc.at("/files/added/0/newSize").asLong()).isEqualTo(13);
        assertThat(doc.at("/files/removed/0/path").asText()).isEqualTo("payload/runtime/lib/retired.txt");
        assertThat(doc.at("/files/changed"))
                .extracting(f -> f.get("path").asText())
                .contains("payload/runtime/lib/widget.jar", "payload/sbom/bom.cdx.json");
        assertThat(doc.get("components"))
                .extracting(
                        c -> c.get("id").asText() + " " + c.get("oldVersion").asText() + " "
                                + c.get("newVersion").asText())
                .containsExactly("certinext-bot 1.4.2 1.4.3", "pkg:maven/org.example/widget 1.0 1.1");
        assertThat(doc.get("profile"))
                .extracting(p -> p.get("field").asText())
                .containsExactly("agent.version", "proxy.url");
        // The secrets are named as not compared; the binding key is no one's secret and always differs.
        assertThat(doc.get("notes"))
                .extracting(JsonNode::asText)
                .filteredOn(note -> note.startsWith("secrets not compared"))
                .singleElement()
                .asString()
                .contains("payload/secrets/token")
                .doesNotContain("binding-key");
    }

    @Test
    void inspectSbomPrintsTheCycloneDxDocument() throws Exception {
        assertThat(run("inspect", next.path().toString(), "--sbom")).isZero();
        JsonNode bom = Json.MAPPER.readTree(out.toString());
        assertThat(bom.get("bomFormat").asText()).isEqualTo("CycloneDX");
        assertThat(bom.at("/metadata/component/version").asText()).isEqualTo("1.4.3");
        assertThat(bom.get("components"))
                .anySatisfy(c -> assertThat(c.path("purl").asText()).isEqualTo("pkg:maven/org.example/widget@1.1"));
    }

    @Test
    void aNameFromTheBundleCannotReorderOrRecolourTheChangeNote() throws Exception {
        // A right-to-left override in a file name would show "report<U+202E>txt.exe" as "reportexe.txt".
        Path runtime = dir.resolve("examples/runtime/certinext-bot");
        Files.writeString(runtime.resolve("lib/report\u202etxt.exe"), "x\n");
        WrittenBundle third = create(dir.resolve("examples"), dir.resolve("third"), 300, null);

        assertThat(run("diff", next.path().toString(), third.path().toString())).isZero();
        assertThat(out.toString())
                .contains("  + payload/runtime/lib/report\\u202etxt.exe  (2 B)")
                .doesNotContain("\u202e");
    }

    private int run(String... args) {
        return FerryCli.build(new BundlerMain(), new PrintWriter(out, true), new PrintWriter(err, true))
                .execute(args);
    }

    private WrittenBundle create(Path examples, Path outDir, long sequence, Path base) {
        Path profile = examples.resolve("dmz-east.yaml");
        Path token = dir.resolve("token");
        try {
            Files.writeString(token, "opaque-token-value");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        BundleCreator creator = new BundleCreator(
                Clock.fixed(NOW, ZoneOffset.UTC),
                Map.of(
                        "SOURCE_DATE_EPOCH",
                        Long.toString(NOW.minus(Duration.ofMinutes(sequence)).getEpochSecond())),
                2);
        return creator.create(new BundleCreator.Request(
                        profile,
                        ProfileLoader.load(profile),
                        List.of(key.signingKey()),
                        token,
                        outDir,
                        sequence,
                        3,
                        Progress.NONE,
                        base))
                .bundle();
    }

    private static Path copyExamples(Path to) throws IOException {
        Path from = Path.of("../profiles/examples").toAbsolutePath().normalize();
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path source : walk.toList()) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        // An opaque token: its window comes from the profile.
        Files.writeString(
                to.resolve("dmz-east.yaml"),
                Files.readString(to.resolve("dmz-east.yaml")) + "token:\n  notBefore: " + NOW.minus(Duration.ofDays(1))
                        + "\n  notAfter: " + NOW.plus(Duration.ofDays(200)) + "\n");
        return to;
    }

    private static void widgetJar(Path target, String version) throws IOException {
        try (OutputStream file = Files.newOutputStream(target);
                JarOutputStream jar = new JarOutputStream(file)) {
            jar.putNextEntry(new ZipEntry("META-INF/maven/org.example/widget/pom.properties"));
            jar.write(("groupId=org.example\nartifactId=widget\nversion=" + version + "\n")
                    .getBytes(StandardCharsets.UTF_8));
            jar.closeEntry();
            jar.putNextEntry(new ZipEntry("org/example/Widget.class"));
            jar.write(new byte[] {(byte) 0xca, (byte) 0xfe, (byte) 0xba, (byte) 0xbe});
            jar.closeEntry();
        }
    }
}
