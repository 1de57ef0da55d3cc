package dev.ferry.bundle.hostile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.github.luben.zstd.ZstdInputStream;
import dev.ferry.bundle.BundleVerifier;
import dev.ferry.bundle.Manifest;
import dev.ferry.bundle.PayloadPaths;
import dev.ferry.bundle.PayloadSink;
import dev.ferry.bundle.VerifiedBundle;
import dev.ferry.bundle.testing.TestBundles;
import dev.ferry.bundle.testing.TestKeys;
import dev.ferry.common.ExitCode;
import dev.ferry.common.FerryException;
import dev.ferry.keys.SigningKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole hostile corpus against the in-process verifier, with a deliberately careless sink (it writes where a
 * path says and follows links, like a naive extractor): the verifier alone must keep every byte out of
 * {@code outside}. The installer-level run of the same corpus is e2e's HostileBundlesTest.
 */
class HostileCorpusTest {
    static final Clock NOW = Clock.fixed(TestBundles.CREATED_AT.plus(Duration.ofDays(1)), ZoneOffset.UTC);
    static final long INSTALLED_SEQUENCE = 5;

    @TempDir
    static Path work;

    static SigningKey trusted;
    static Path genuinePath;
    static GenuineBundle genuine;
    static Path outside;
    static List<HostileCase> corpus;
    static final AtomicInteger tried = new AtomicInteger();
    static final AtomicInteger refusedCorrectly = new AtomicInteger();

    @BeforeAll
    static void buildCorpus() throws IOException {
        trusted = TestKeys.generate();
        genuinePath = TestBundles.bundle("sample-bot", "1.1.0")
                .sequence(INSTALLED_SEQUENCE + 1)
                .file("payload/runtime/VERSION", "1.1.0\n", "0644")
                .file("payload/runtime/bin/agent", "#!/bin/sh\necho sample-bot\n", "0755")
                .file("payload/templates/agent.yaml.mustache", "name: {{agent.name}}\n", "0644")
                .signedBy(trusted)
                .writeTo(work.resolve("genuine"))
                .path();
        genuine = GenuineBundle.read(genuinePath, trusted);
        outside = Files.createDirectories(work.resolve("outside"));
        Files.writeString(outside.resolve("victim"), "the victim's own content\n");
        corpus = HostileCorpus.write(
                new HostileCorpus.Setting(genuine, TestKeys.generate(), outside, NOW.instant(), INSTALLED_SEQUENCE),
                work.resolve("corpus"));
    }

    @AfterAll
    static void summary() {
        System.out.printf(
                "hostile corpus (in-process verifier): %d cases tried, %d refused or judged correctly%n",
                tried.get(), refusedCorrectly.get());
    }

    @Test
    void corpusHasAtLeastFortyDistinctCasesInEveryFamily() {
        assertThat(corpus).hasSizeGreaterThanOrEqualTo(40);
        assertThat(corpus.stream().map(HostileCase::name)).doesNotHaveDuplicates();
        assertThat(corpus.stream().map(HostileCase::trick).distinct())
                .containsExactlyInAnyOrder(
                        "paths",
                        "links",
                        "devices",
                        "modes",
                        "entries",
                        "aliases",
                        "sizes",
                        "manifest",
                        "signatures",
                        "archive",
                        "windows",
                        "delta",
                        "fields",
                        "secrets");
        assertThat(corpus).allSatisfy(c -> {
            assertThat(c.installExit()).isIn(ExitCode.VERIFICATION, ExitCode.VALIDITY, ExitCode.PREFLIGHT);
            assertThat(c.bundle()).isRegularFile();
        });
        Map<String, Long> perFamily =
                corpus.stream().collect(Collectors.groupingBy(HostileCase::trick, TreeMap::new, Collectors.counting()));
        System.out.println("hostile corpus families: " + perFamily);
    }

    @Test
    void theGenuineBundleAndItsReassemblyBothVerify() {
        assertThat(verify(genuinePath, PayloadSink.discard()).manifest()).isEqualTo(genuine.manifest());
        Path rebuilt = genuine.rebuild().writeTo(work.resolve("rebuilt.bundle.tar.zst"));
        assertThat(verify(rebuilt, PayloadSink.discard()).manifest()).isEqualTo(genuine.manifest());
    }

    @Test
    void theBombCasesReallyHoldGigabytesInAFewMegabytes() throws IOException {
        HostileCase bomb = corpus.stream()
                .filter(c -> c.name().equals("zstd-bomb-after-end-blocks"))
                .findFirst()
                .orElseThrow();
        assertThat(Files.size(bomb.bundle())).isBetween(1L << 20, 4L << 20);
        try (var in = new ZstdInputStream(Files.newInputStream(bomb.bundle()))) {
            assertThat(in.skip(1L << 30)).as("at least 1 GiB decodes from it").isEqualTo(1L << 30);
        }
    }

    @TestFactory
    Stream<DynamicTest> everyCaseGetsItsExitCodeAndItsWordAndNothingLeavesStaging() {
        return corpus.stream().map(c -> DynamicTest.dynamicTest(c.toString(), () -> judge(c, "native")));
    }

    /** Where zstd-jni cannot load (a noexec temp folder), the pure-Java decoder reads bundles: the same verdicts. */
    @TestFactory
    Stream<DynamicTest> everyCaseGetsTheSameVerdictWithThePureJavaDecoder() {
        return corpus.stream()
                .map(c -> DynamicTest.dynamicTest(c.toString(), () -> {
                    System.setProperty("ferry.zstd.decoder", "java");
                    try {
                        judge(c, "java");
                    } finally {
                        System.clearProperty("ferry.zstd.decoder");
                    }
                }));
    }

    /**
     * The pure-Java pass must really decode with the pure-Java decoder: a flipped byte in the compressed data is
     * refused from aircompressor's code with the property set and from zstd-jni's without (their frames are in the
     * failure's stack). Every case's failure in {@link #judge} names only the decoder of its pass.
     */
    @Test
    void eachPassDecodesWithItsOwnDecoder() throws IOException {
        byte[] bytes = Files.readAllBytes(genuinePath);
        bytes[bytes.length / 2] ^= 0x5a;
        Path corrupt = Files.write(work.resolve("flipped.bundle.tar.zst"), bytes);
        assertThat(decodersIn(catchThrowable(() -> verify(corrupt, PayloadSink.discard()))))
                .containsExactly("native");
        System.setProperty("ferry.zstd.decoder", "java");
        try {
            assertThat(decodersIn(catchThrowable(() -> verify(corrupt, PayloadSink.discard()))))
                    .containsExactly("java");
        } finally {
            System.clearProperty("ferry.zstd.decoder");
        }
    }

    /** Which zstd decoders' code a failure passed through: "native" (zstd-jni), "java" (aircompressor). */
    private static Set<String> decodersIn(Throwable thrown) {
        Set<String> seen = new TreeSet<>();
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            for (StackTraceElement frame : t.getStackTrace()) {
                if (frame.getClassName().startsWith("com.github.luben.zstd.")) {
                    seen.add("native");
                } else if (frame.getClassName().startsWith("io.airlift.compress.")) {
                    seen.add("java");
                }
            }
        }
        return seen;
    }

    private static void judge(HostileCase c, String decoder) throws IOException {
        tried.incrementAndGet();
        Map<String, String> outsideBefore = snapshot(outside);
        Path staging =
                Files.createDirectories(work.resolve("staging-" + decoder).resolve(c.name()));
        List<String> sunk = new ArrayList<>();
        Throwable thrown = assertTimeoutPreemptively(
                Duration.ofSeconds(10), () -> catchThrowable(() -> verify(c.bundle(), carelessSink(staging, sunk))));
        assertThat(decodersIn(thrown))
                .as("%s: refused by the %s decoder's pass", c.name(), decoder)
                .isSubsetOf(decoder);
        if (c.verifyExit() == ExitCode.OK) {
            assertThat(thrown)
                    .as("the verifier cannot judge %s: the installer's preflight does", c.name())
                    .isNull();
        } else {
            assertThat(thrown).as(c.name()).isInstanceOf(FerryException.class);
            FerryException e = (FerryException) thrown;
            assertThat(e.exitCode()).as(c.name() + ": " + e.getMessage()).isEqualTo(c.verifyExit());
            assertThat(e.reason()).as(c.name() + ": " + e.getMessage()).isEqualTo(c.reason());
            assertThat(e.getMessage()).startsWith(c.bundle().toString()).doesNotContain("\n");
        }
        assertThat(sunk)
                .as("the sink saw only safe payload paths")
                .allSatisfy(p -> assertThat(PayloadPaths.problem(p)).as(p).isNull());
        assertThat(snapshot(outside)).as("nothing landed outside").isEqualTo(outsideBefore);
        refusedCorrectly.incrementAndGet();
    }

    @Test
    void theWindowCasesCarryTheirTrickUnderAValidSignature() {
        Instant now = NOW.instant();
        assertThat(manifestOf("token-not-yet-valid").token().notBefore()).isAfter(now);
        assertThat(manifestOf("token-expired").token().notAfter()).isBefore(now);
        assertThat(manifestOf("sequence-rollback").sequence()).isLessThan(INSTALLED_SEQUENCE);
    }

    private static Manifest manifestOf(String name) {
        HostileCase c =
                corpus.stream().filter(x -> x.name().equals(name)).findFirst().orElseThrow();
        return verify(c.bundle(), PayloadSink.discard()).manifest();
    }

    private static VerifiedBundle verify(Path bundle, PayloadSink sink) {
        return new BundleVerifier(TestKeys.trust(trusted), NOW).verify(bundle, sink);
    }

    /** Writes where the path says, creating folders and following any link on the way: it trusts the verifier. */
    private static PayloadSink carelessSink(Path staging, List<String> sunk) {
        return (entry, content) -> {
            sunk.add(entry.path());
            Path target = Path.of(staging + "/" + entry.path());
            Files.createDirectories(target.getParent());
            Files.copy(content, target, StandardCopyOption.REPLACE_EXISTING);
        };
    }

    /** Relative path to SHA-256 of every file under {@code root}. */
    static Map<String, String> snapshot(Path root) {
        try (Stream<Path> all = Files.walk(root)) {
            Map<String, String> out = new TreeMap<>();
            for (Path p : all.toList()) {
                out.put(root.relativize(p).toString(), Files.isRegularFile(p) ? sha256(p) : "dir");
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha256(Path file) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
