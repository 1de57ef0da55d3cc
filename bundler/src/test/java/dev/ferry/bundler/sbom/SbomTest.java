package dev.ferry.bundler.sbom;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.bundle.BundleReader;
import dev.ferry.bundle.DerivedFiles;
import dev.ferry.bundle.FileEntry;
import dev.ferry.bundle.PayloadFile;
import dev.ferry.bundle.PayloadPaths;
import dev.ferry.bundle.WrittenBundle;
import dev.ferry.bundle.testing.TestKeys;
import dev.ferry.keys.SigningKey;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.jar.JarOutputStream;
import java.util.stream.Collectors;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.cyclonedx.Version;
import org.cyclonedx.exception.ParseException;
import org.cyclonedx.model.Bom;
import org.cyclonedx.model.Component;
import org.cyclonedx.parsers.JsonParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/** SPEC section 12's SBOM, checked with the CycloneDX project's own schema validator and parser. */
class SbomTest {
    private static final long EPOCH = 1795000000L;
    private static final SigningKey KEY = TestKeys.generate();

    @TempDir
    Path dir;

    static List<String> segmentProfiles() {
        return ExampleBundles.segmentProfiles();
    }

    @ParameterizedTest
    @MethodSource("segmentProfiles")
    void everyExampleProfilesBundleCarriesAnSbomTheOfficialSchemaAccepts(String profile) throws IOException {
        ExampleBundles examples = new ExampleBundles(dir.resolve("examples"));
        WrittenBundle bundle = examples.create(profile, dir.resolve("out"), EPOCH, List.of(KEY));
        byte[] sbom = sbom(bundle);

        assertThat(new JsonParser().validate(sbom, Version.VERSION_16)).isEmpty();
        Bom bom = parse(sbom);
        assertThat(bom.getMetadata().getComponent().getName())
                .isEqualTo(bundle.manifest().name());
        assertThat(bom.getMetadata().getComponent().getVersion())
                .isEqualTo(bundle.manifest().version());
        assertThat(bom.getMetadata().getTimestamp().toInstant())
                .isEqualTo(bundle.manifest().createdAt());
        Map<String, Component> files = bom.getComponents().stream()
                .filter(c -> c.getType() == Component.Type.FILE)
                .collect(Collectors.toMap(Component::getName, Function.identity()));
        List<FileEntry> listed = bundle.manifest().files().stream()
                .filter(f -> !f.path().startsWith("payload/sbom/"))
                .toList();
        assertThat(files.keySet())
                .containsExactlyInAnyOrderElementsOf(
                        listed.stream().map(FileEntry::path).toList());
        for (FileEntry entry : listed) {
            Component file = files.get(entry.path());
            if (entry.path().startsWith("payload/secrets/")) {
                assertThat(file.getHashes()).as(entry.path()).isNullOrEmpty();
            } else {
                assertThat(file.getHashes())
                        .as(entry.path())
                        .singleElement()
                        .satisfies(h -> assertThat(h.getValue()).isEqualTo(entry.sha256()));
            }
        }
    }

    @Test
    void jarsFromTheLocalMavenRepositoryAreListedByTheirCoordinatesNestedOnesToo() throws IOException {
        ExampleBundles examples = new ExampleBundles(dir.resolve("examples"));
        Path lib = Files.createDirectories(examples.runtime().resolve("lib"));
        Path databind = localRepositoryJar(ObjectMapper.class);
        Path compress = localRepositoryJar(TarArchiveOutputStream.class);
        Files.copy(databind, lib.resolve(databind.getFileName()));
        Files.copy(compress, lib.resolve(compress.getFileName()));
        // A Spring Boot style jar: the jackson-databind jar stored inside, under BOOT-INF/lib/.
        storedJar(lib.resolve("app.jar"), "BOOT-INF/lib/" + databind.getFileName(), Files.readAllBytes(databind));

        Bom bom = parse(sbom(examples.create("dmz-east.yaml", dir.resolve("out"), EPOCH, List.of(KEY))));

        Map<String, Component> libraries = libraries(bom.getComponents());
        assertThat(libraries).containsKey(expectedPurl(databind)).containsKey(expectedPurl(compress));
        Component outer = libraries.get(expectedPurl(compress));
        assertThat(outer.getHashes().get(0).getValue()).isEqualTo(sha256(compress));
        Component app = bom.getComponents().stream()
                .filter(c -> "app.jar".equals(c.getName()))
                .findFirst()
                .orElseThrow();
        assertThat(app.getPurl())
                .as("no pom.properties of its own: no invented coordinates")
                .isNull();
        assertThat(app.getComponents()).singleElement().satisfies(nested -> {
            assertThat(nested.getPurl()).isEqualTo(expectedPurl(databind));
            assertThat(nested.getHashes().get(0).getValue()).isEqualTo(sha256(databind));
        });
    }

    @Test
    void aJarWithoutPomPropertiesIsListedByHashWithoutCoordinates() throws IOException {
        ExampleBundles examples = new ExampleBundles(dir.resolve("examples"));
        Path picocli = localRepositoryJar(CommandLine.class);
        try (ZipFile zip = new ZipFile(picocli.toFile())) {
            assertThat(zip.stream().map(ZipEntry::getName))
                    .as("precondition: picocli is built by Gradle")
                    .noneMatch(n -> n.startsWith("META-INF/maven/"));
        }
        Path lib = Files.createDirectories(examples.runtime().resolve("lib"));
        Files.copy(picocli, lib.resolve("picocli.jar"));
        Files.write(lib.resolve("broken.jar"), "not a zip at all".getBytes(StandardCharsets.UTF_8));

        Bom bom = parse(sbom(examples.create("dmz-east.yaml", dir.resolve("out"), EPOCH, List.of(KEY))));

        Component jar = library(bom, "picocli.jar");
        assertThat(jar.getPurl()).isNull();
        assertThat(jar.getGroup()).isNull();
        assertThat(jar.getVersion()).isNull();
        assertThat(jar.getHashes())
                .singleElement()
                .satisfies(h -> assertThat(h.getValue()).isEqualTo(sha256(picocli)));
        assertThat(library(bom, "broken.jar").getPurl()).isNull();
    }

    @Test
    void aJavaRuntimeIsKnownByItsReleaseFile() throws IOException {
        ExampleBundles examples = new ExampleBundles(dir.resolve("examples"));
        Path jre = Files.createDirectories(examples.runtime().resolve("jre"));
        Files.writeString(
                jre.resolve("release"),
                "IMPLEMENTOR=\"Eclipse Adoptium\"\nJAVA_RUNTIME_VERSION=\"17.0.15+6\"\n"
                        + "JAVA_VERSION=\"17.0.15\"\nMODULES=\"java.base java.logging\"\nOS_NAME=\"Linux\"\nOS_ARCH=\"x86_64\"\n");

        Bom bom = parse(sbom(examples.create("dmz-east.yaml", dir.resolve("out"), EPOCH, List.of(KEY))));

        Component runtime = bom.getComponents().stream()
                .filter(c -> c.getType() == Component.Type.PLATFORM)
                .findFirst()
                .orElseThrow();
        assertThat(runtime.getVersion()).isEqualTo("17.0.15+6");
        assertThat(runtime.getSupplier().getName()).isEqualTo("Eclipse Adoptium");
    }

    @Test
    void noDigestOfASecretFileAppears() throws IOException {
        ExampleBundles examples = new ExampleBundles(dir.resolve("examples"));
        WrittenBundle bundle = examples.create("dmz-east.yaml", dir.resolve("out"), EPOCH, List.of(KEY));
        String sbom = new String(sbom(bundle), StandardCharsets.UTF_8);
        String provenance = new String(
                BundleReader.readPayloadFile(bundle.path(), Provenance.PATH, 1 << 20)
                        .orElseThrow(),
                StandardCharsets.UTF_8);
        for (Path secret : List.of(examples.token, examples.dir.resolve("secrets/proxy-password"))) {
            assertThat(sbom).doesNotContain(sha256(secret));
            assertThat(provenance).doesNotContain(sha256(secret));
        }
        assertThat(sbom).doesNotContain(examples.tokenValue());
    }

    @Test
    void theSameInputsGiveAByteIdenticalBundleWithTheSbomInsideAndAnotherInputAnotherSerial() throws IOException {
        ExampleBundles examples = new ExampleBundles(dir.resolve("examples"));
        WrittenBundle first = examples.create("dmz-east.yaml", dir.resolve("one"), EPOCH, List.of(KEY));
        WrittenBundle second = examples.create("dmz-east.yaml", dir.resolve("two"), EPOCH, List.of(KEY));
        assertThat(first.manifest().files()).extracting(FileEntry::path).contains(CycloneDxSbom.PATH, Provenance.PATH);
        assertThat(Files.readAllBytes(second.path())).isEqualTo(Files.readAllBytes(first.path()));

        Files.writeString(examples.runtime().resolve("bin/agent"), "\n# patched\n", StandardOpenOption.APPEND);
        WrittenBundle third = examples.create("dmz-east.yaml", dir.resolve("three"), EPOCH, List.of(KEY));
        Bom before = parse(sbom(first));
        Bom after = parse(sbom(third));
        assertThat(after.getSerialNumber()).isNotEqualTo(before.getSerialNumber());
    }

    /**
     * Issue 15's create-speed bar: the file components are streamed into the library's JSON instead of going through
     * its object model one by one. The bytes must be those the library writes for the whole list: a jar with its
     * coordinates, a secret, names that need escaping, thousands of files.
     */
    @Test
    void theStreamedFileComponentsAreTheBytesTheLibraryWritesForEveryComponent() throws IOException {
        Path databind = localRepositoryJar(ObjectMapper.class);
        List<DerivedFiles.HashedFile> inputs = new ArrayList<>();
        inputs.add(hashed("payload/runtime/lib/" + databind.getFileName(), databind, sha256(databind)));
        inputs.add(hashed("payload/secrets/token", dir.resolve("token"), "ab".repeat(32)));
        inputs.add(hashed(
                "payload/runtime/caf\u00e9 \"quoted\"\\x/\u2028\u00ff.txt", dir.resolve("odd"), "cd".repeat(32)));
        for (int i = 0; i < 3000; i++) {
            inputs.add(hashed(
                    String.format("payload/runtime/data/d%02d/f%04d.txt", i % 50, i),
                    dir.resolve("f"),
                    String.format("%064x", i * 7919L)));
        }
        inputs.sort(Comparator.comparing(f -> f.entry().path(), PayloadPaths.ORDER));
        CycloneDxSbom.Subject subject =
                new CycloneDxSbom.Subject("bot", "1.0.0", Instant.ofEpochSecond(EPOCH), "0.1.0");
        PayloadScan scan = PayloadScan.of(inputs);
        assertThat(scan.archives())
                .as("precondition: the jar is a library component")
                .hasSize(1);

        byte[] streamed = CycloneDxSbom.write(subject, inputs, scan);

        assertThat(new String(streamed, StandardCharsets.UTF_8))
                .isEqualTo(new String(CycloneDxSbom.writeModelled(subject, inputs, scan), StandardCharsets.UTF_8));
        assertThat(new JsonParser().validate(streamed, Version.VERSION_16)).isEmpty();
        assertThat(parse(streamed).getComponents()).hasSize(inputs.size() + 1);
        assertThat(CycloneDxSbom.write(subject, inputs.subList(0, 1), PayloadScan.of(inputs.subList(0, 1))))
                .as("a single file")
                .isEqualTo(CycloneDxSbom.writeModelled(
                        subject, inputs.subList(0, 1), PayloadScan.of(inputs.subList(0, 1))));
    }

    private static DerivedFiles.HashedFile hashed(String path, Path source, String sha256) {
        return new DerivedFiles.HashedFile(
                new PayloadFile(path, source, "0644"), new FileEntry(path, 1, sha256, "0644"));
    }

    static Bom parse(byte[] sbom) {
        try {
            return new JsonParser().parse(sbom);
        } catch (ParseException e) {
            throw new AssertionError("the CycloneDX parser refuses the SBOM", e);
        }
    }

    static byte[] sbom(WrittenBundle bundle) {
        return BundleReader.readPayloadFile(bundle.path(), CycloneDxSbom.PATH, CycloneDxSbom.MAX_BYTES)
                .orElseThrow();
    }

    private static Component library(Bom bom, String name) {
        return bom.getComponents().stream()
                .filter(c -> c.getType() == Component.Type.LIBRARY && name.equals(c.getName()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no library " + name));
    }

    private static Map<String, Component> libraries(List<Component> components) {
        return components.stream()
                .filter(c -> c.getPurl() != null)
                .collect(Collectors.toMap(Component::getPurl, Function.identity(), (a, b) -> a));
    }

    /** The jar a class was loaded from: a real artifact of the local Maven repository (~/.m2). */
    private static Path localRepositoryJar(Class<?> type) {
        try {
            Path jar = Path.of(
                    type.getProtectionDomain().getCodeSource().getLocation().toURI());
            assertThat(jar.toString()).contains("/.m2/repository/").endsWith(".jar");
            return jar;
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code pkg:maven/GROUP/ARTIFACT@VERSION} from the jar's place in the repository (.../GROUP/ARTIFACT/VERSION/x.jar). */
    private static String expectedPurl(Path jar) {
        Path versionDir = jar.getParent();
        Path artifactDir = versionDir.getParent();
        Path repository = jar.toString().contains("/.m2/repository/")
                ? Path.of(jar.toString()
                        .substring(0, jar.toString().indexOf("/.m2/repository/") + "/.m2/repository/".length()))
                : null;
        String group = repository.relativize(artifactDir.getParent()).toString().replace('/', '.');
        return "pkg:maven/" + group + "/" + artifactDir.getFileName() + "@" + versionDir.getFileName();
    }

    private static void storedJar(Path target, String entryName, byte[] content) throws IOException {
        try (OutputStream file = Files.newOutputStream(target);
                JarOutputStream jar = new JarOutputStream(file)) {
            ZipEntry entry = new ZipEntry(entryName);
            entry.setMethod(ZipEntry.STORED);
            entry.setSize(content.length);
            CRC32 crc = new CRC32();
            crc.update(content);
            entry.setCrc(crc.getValue());
            jar.putNextEntry(entry);
            jar.write(content);
            jar.closeEntry();
        }
    }

    static String sha256(Path file) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
