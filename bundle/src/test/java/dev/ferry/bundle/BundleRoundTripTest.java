package dev.ferry.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.bundle.testing.RawBundleWriter;
import dev.ferry.bundle.testing.TestBundles;
import dev.ferry.bundle.testing.TestKeys;
import dev.ferry.bundle.testing.TestKeys.TestKey;
import dev.ferry.common.ExitCode;
import dev.ferry.common.FerryException;
import dev.ferry.common.Progress;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorInputStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundleRoundTripTest {
    static final Clock NOW = Clock.fixed(Instant.parse("2026-11-23T08:00:00Z"), ZoneOffset.UTC);
    private static final String LONG_NAME =
            "payload/runtime/" + "deep/".repeat(40) + "agent-library-with-a-long-name.jar";

    @TempDir
    Path dir;

    private TestKey key;

    @BeforeEach
    void createKey() {
        key = TestKeys.create(dir.resolve("keys"), "signer");
    }

    private TestBundles sample() {
        byte[] random = new byte[300_000];
        new Random(7).nextBytes(random);
        return TestBundles.bundle("certinext-bot", "1.4.2")
                .sequence(42)
                .file("payload/runtime/bin/agent", "#!/bin/sh\necho agent\n", "0755")
                .file("payload/runtime/lib/data.bin", random, "0644")
                .file("payload/runtime/empty", new byte[0], "0640")
                .file("payload/templates/agent.yaml.mustache", "endpoint: {{platform.endpoint}}\n", "0644")
                .file("payload/runtime/ünïcode-名前.txt", "utf-8 names travel in pax headers\n", "0644")
                .file(LONG_NAME, "long\n", "0644")
                .signedBy(key);
    }

    private static Map<String, byte[]> collect(Path bundle, BundleVerifier verifier, List<FileEntry> order) {
        Map<String, byte[]> contents = new LinkedHashMap<>();
        verifier.verify(bundle, (entry, in) -> {
            order.add(entry);
            contents.put(entry.path(), in.readAllBytes());
        });
        return contents;
    }

    @Test
    void writtenBundleVerifiesAndDeliversEveryFileInManifestOrder() throws Exception {
        WrittenBundle written = sample().writeTo(dir.resolve("out"));

        assertThat(written.path()).hasFileName("certinext-bot-1.4.2.bundle.tar.zst");
        assertThat(written.size()).isEqualTo(Files.size(written.path()));
        assertThat(written.sha256()).isEqualTo(sha256(Files.readAllBytes(written.path())));
        assertThat(written.keyIds()).containsExactly(key.keyId());
        assertThat(dir.resolve("out")).isDirectoryContaining(p -> true);
        try (Stream<Path> files = Files.list(dir.resolve("out"))) {
            assertThat(files).containsExactly(written.path());
        }

        List<FileEntry> order = new ArrayList<>();
        BundleVerifier verifier = new BundleVerifier(TestKeys.trust(key), NOW);
        Map<String, byte[]> contents = collect(written.path(), verifier, order);

        assertThat(order).isEqualTo(written.manifest().files());
        assertThat(order)
                .extracting(FileEntry::path)
                .isSortedAccordingTo(PayloadPaths.ORDER)
                .contains(LONG_NAME);
        assertThat(new String(contents.get("payload/runtime/bin/agent"), StandardCharsets.UTF_8))
                .isEqualTo("#!/bin/sh\necho agent\n");
        assertThat(contents.get("payload/runtime/empty")).isEmpty();
        assertThat(contents.get(BundleLayout.TOKEN))
                .asString(StandardCharsets.UTF_8)
                .isEqualTo("test-token-secret");
        String bindingKey = sha256(contents.get(BundleLayout.BINDING_KEY));
        assertThat(contents.get(BundleLayout.BINDING_KEY)).hasSize(32);
        for (FileEntry entry : order) {
            if (entry.path().equals(BundleLayout.BINDING_KEY)) {
                assertThat(entry.secret()).isEqualTo(SecretDigest.BINDING_KEY);
            } else if (entry.isSecret()) {
                assertThat(entry.secret().matches(entry.path(), sha256(contents.get(entry.path())), bindingKey))
                        .as(entry.path())
                        .isTrue();
            } else {
                assertThat(sha256(contents.get(entry.path()))).as(entry.path()).isEqualTo(entry.sha256());
            }
        }
        assertThat(written.manifest().files())
                .filteredOn(f -> f.path().equals(BundleLayout.TOKEN))
                .extracting(FileEntry::mode)
                .containsExactly("0600");

        VerifiedBundle verified = verifier.verify(written.path(), PayloadSink.discard());
        assertThat(verified.manifest()).isEqualTo(written.manifest());
        assertThat(verified.signerKeyIds()).containsExactly(key.keyId());
        assertThat(verified.sha256()).isEqualTo(written.sha256());
        assertThat(verified.manifestBytes()).isEqualTo(ManifestCodec.encode(written.manifest()));
    }

    /**
     * A secret may sort before the binding key that binds it ({@code api-key} before {@code binding-key}): the verifier
     * checks every HMAC once the key has been read, whatever the order, and still refuses one whose bytes changed.
     */
    @Test
    void aSecretThatSortsBeforeTheBindingKeyIsCheckedAgainstIt() throws Exception {
        String apiKey = BundleLayout.SECRETS + "api-key";
        WrittenBundle written = sample().file(apiKey, "an api key\n", "0600").writeTo(dir.resolve("out"));
        assertThat(written.manifest().files())
                .extracting(FileEntry::path)
                .containsSubsequence(apiKey, BundleLayout.BINDING_KEY, BundleLayout.TOKEN);
        BundleVerifier verifier = new BundleVerifier(TestKeys.trust(key), NOW);
        assertThat(collect(written.path(), verifier, new ArrayList<>()).get(apiKey))
                .asString(StandardCharsets.UTF_8)
                .isEqualTo("an api key\n");

        // The same length, one byte changed in the tar: only the secret's HMAC can tell.
        byte[] tar = RawBundleWriter.decompress(written.path());
        String text = new String(tar, StandardCharsets.ISO_8859_1);
        int at = text.indexOf("an api key\n");
        assertThat(text.indexOf("an api key\n", at + 1)).isNegative();
        tar[at + "an api ke".length()] = 'z';
        Path tampered = RawBundleWriter.writeTar(tar, dir.resolve("tampered.bundle.tar.zst"));
        assertThatThrownBy(() -> verifier.verify(tampered, PayloadSink.discard()))
                .isInstanceOfSatisfying(
                        FerryException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.VERIFICATION))
                .hasMessageContaining(apiKey + ": the secret's bytes do not match");
    }

    @Test
    void sinkThatReadsNothingStillGetsEveryByteChecked() {
        WrittenBundle written = sample().writeTo(dir.resolve("out"));
        VerifiedBundle verified =
                new BundleVerifier(TestKeys.trust(key), NOW).verify(written.path(), (entry, in) -> {});
        assertThat(verified.sha256()).isEqualTo(written.sha256());
    }

    @Test
    void sameInputsKeysAndCreatedAtGiveTheSameBytesWhateverTheWorkerCount() throws Exception {
        WrittenBundle first = sample().workers(1).writeTo(dir.resolve("a"));
        WrittenBundle second = sample().workers(1).writeTo(dir.resolve("b"));
        WrittenBundle twoWorkers = sample().workers(2).writeTo(dir.resolve("c"));

        assertThat(Files.readAllBytes(second.path())).isEqualTo(Files.readAllBytes(first.path()));
        assertThat(Files.readAllBytes(twoWorkers.path())).isEqualTo(Files.readAllBytes(first.path()));
        assertThat(twoWorkers.sha256()).isEqualTo(first.sha256());

        WrittenBundle later =
                sample().createdAt(TestBundles.CREATED_AT.plusSeconds(1)).writeTo(dir.resolve("d"));
        assertThat(later.sha256()).isNotEqualTo(first.sha256());
    }

    @Test
    @Tag("slow")
    void multiThreadedZstdIsReproducibleOnInputsLargerThanOneJob() throws Exception {
        // zstd splits multi-threaded work into jobs of several MiB: only a larger input proves workers do not matter.
        Path big = dir.resolve("big.bin");
        byte[] chunk = new byte[1 << 20];
        Random random = new Random(1);
        try (var out = Files.newOutputStream(big)) {
            for (int i = 0; i < 24; i++) {
                random.nextBytes(chunk);
                Arrays.fill(chunk, 0, 1 << 19, (byte) i);
                out.write(chunk);
            }
        }
        WrittenBundle one = TestBundles.bundle("big", "1")
                .file("payload/big.bin", big, "0644")
                .signedBy(key)
                .level(3)
                .workers(1)
                .writeTo(dir.resolve("one"));
        WrittenBundle two = TestBundles.bundle("big", "1")
                .file("payload/big.bin", big, "0644")
                .signedBy(key)
                .level(3)
                .workers(2)
                .writeTo(dir.resolve("two"));
        assertThat(two.sha256()).isEqualTo(one.sha256());
    }

    @Test
    void commonsCompressReadsTheConcatenatedFramesAsOneArchive() throws Exception {
        WrittenBundle written = sample().writeTo(dir.resolve("out"));
        List<String> names = new ArrayList<>();
        try (InputStream file = Files.newInputStream(written.path());
                TarArchiveInputStream tar = new TarArchiveInputStream(new ZstdCompressorInputStream(file))) {
            for (TarArchiveEntry entry; (entry = tar.getNextEntry()) != null; ) {
                names.add(entry.getName());
                assertThat(entry.isFile()).isTrue();
                assertThat(entry.getLongUserId()).isZero();
                assertThat(entry.getLongGroupId()).isZero();
                assertThat(entry.getUserName()).isEmpty();
                assertThat(entry.getModTime().toInstant()).isEqualTo(TestBundles.CREATED_AT);
            }
        }
        List<String> expected = new ArrayList<>(List.of("manifest.json", "signatures/" + key.keyId() + ".sig"));
        written.manifest().files().forEach(f -> expected.add(f.path()));
        assertThat(names).isEqualTo(expected);
    }

    @Test
    void everySignerGetsOneSignatureAndAnyTrustedOneSuffices() {
        TestKey second = TestKeys.create(dir.resolve("keys"), "second");
        WrittenBundle written = sample().signedBy(second).writeTo(dir.resolve("out"));

        assertThat(written.keyIds())
                .containsExactlyInAnyOrder(key.keyId(), second.keyId())
                .isSorted();
        VerifiedBundle bySecond =
                new BundleVerifier(TestKeys.trust(second), NOW).verify(written.path(), PayloadSink.discard());
        assertThat(bySecond.signerKeyIds()).containsExactly(second.keyId());
        VerifiedBundle byBoth =
                new BundleVerifier(TestKeys.trust(key, second), NOW).verify(written.path(), PayloadSink.discard());
        assertThat(byBoth.signerKeyIds()).containsExactlyInAnyOrder(key.keyId(), second.keyId());
    }

    @Test
    void readManifestReadsOnlyTheHead() {
        WrittenBundle written = sample().signedBy(TestKeys.generate()).writeTo(dir.resolve("out"));
        ManifestView view = BundleReader.readManifest(written.path());
        assertThat(view.manifest()).isEqualTo(written.manifest());
        assertThat(view.signatureKeyIds()).hasSize(2).contains(key.keyId());
        assertThat(view.verifiedBy(TestKeys.trust(key))).containsExactly(key.keyId());
        assertThat(view.verifiedBy(TestKeys.trust(TestKeys.generate()))).isEmpty();
    }

    @Test
    void unsafeSpecIsRefusedBeforeAnyFileIsWritten() {
        TestBundles bad = TestBundles.bundle("agent", "1")
                .file("payload/../escape", "x", "0644")
                .signedBy(key);
        assertThatThrownBy(() -> bad.writeTo(dir.resolve("out")))
                .isInstanceOfSatisfying(
                        FerryException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE))
                .hasMessageContaining("'..' segment");
        assertThat(dir.resolve("out")).doesNotExist();

        TestBundles setuid =
                TestBundles.bundle("agent", "1").file("payload/a", "x", "4755").signedBy(key);
        assertThatThrownBy(() -> setuid.writeTo(dir.resolve("out"))).hasMessageContaining("mode '4755'");

        TestBundles slash = TestBundles.bundle("../agent", "1")
                .file("payload/a", "x", "0644")
                .signedBy(key);
        assertThatThrownBy(() -> slash.writeTo(dir.resolve("out"))).hasMessageContaining("not a plain name");

        TestBundles negative = TestBundles.bundle("agent", "1")
                .sequence(-1)
                .file("payload/a", "x", "0644")
                .signedBy(key);
        assertThatThrownBy(() -> negative.writeTo(dir.resolve("out"))).hasMessageContaining("sequence -1 is negative");
        assertThat(dir.resolve("out")).doesNotExist();
    }

    /**
     * /proc files stat as 0 bytes and then yield content: the same as a log that grows while the build reads it.
     */
    private static Path fileThatGrowsWhileRead() throws IOException {
        Path liar = Path.of("/proc/version");
        Assumptions.assumeTrue(Files.isRegularFile(liar) && Files.size(liar) == 0);
        return liar;
    }

    @Test
    void aRefusedSpecIsReportedRatherThanWhatTheHashingMeanwhileFound() throws Exception {
        // The hashing starts while the spec is checked: its finding (this file grows while read) must not win.
        Path liar = fileThatGrowsWhileRead();
        TestBundles both = TestBundles.bundle("agent", "1")
                .file("payload/log", liar, "0644")
                .file("payload/../escape", "x", "0644")
                .signedBy(key);
        assertThatThrownBy(() -> both.writeTo(dir.resolve("out")))
                .isInstanceOfSatisfying(
                        FerryException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE))
                .hasMessageContaining("'..' segment")
                .hasMessageNotContaining("changed while being packed");
        assertThat(dir.resolve("out")).doesNotExist();
    }

    @Test
    void fileWhoseSizeDiffersFromWhatWasStatedFailsAndLeavesNoTemporaryFiles() throws Exception {
        Path liar = fileThatGrowsWhileRead();
        TestBundles growing = TestBundles.bundle("agent", "1")
                .file("payload/a", "a", "0644")
                .file("payload/log", liar, "0644")
                .signedBy(key);
        Path out = dir.resolve("out");
        assertThatThrownBy(() -> growing.writeTo(out))
                .isInstanceOfSatisfying(
                        FerryException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE))
                .hasMessageContaining("/proc/version: changed while being packed");
        try (Stream<Path> left = Files.list(out)) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void aFileThatFailsWhileAnotherIsBeingHashedIsTheOneNamed() throws Exception {
        // Two hashing threads: the large file, first in path order, is still being read when the other fails at once.
        Path liar = fileThatGrowsWhileRead();
        Path large = dir.resolve("large.bin");
        Files.write(large, new byte[64 << 20]);
        TestBundles growing = TestBundles.bundle("agent", "1")
                .workers(2)
                .file("payload/a-large", large, "0644")
                .file("payload/log", liar, "0644")
                .signedBy(key);
        assertThatThrownBy(() -> growing.writeTo(dir.resolve("out")))
                .isInstanceOfSatisfying(
                        FerryException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE))
                .hasMessageContaining("/proc/version: changed while being packed");
    }

    @Test
    void fileRewrittenAfterTheWalkThatStampedItIsRefused() throws Exception {
        Path input = Files.writeString(dir.resolve("config.txt"), "version 1");
        // The stamp a walk of the runtime folder took, then a rewrite before the writer reads the file: same size,
        // the old modification time put back; its status-change time still moved.
        FileStamp walked = FileStamp.of(Files.readAttributes(input, "unix:" + FileStamp.ATTRIBUTES));
        FileTime modified = Files.getLastModifiedTime(input);
        Thread.sleep(10);
        Files.writeString(input, "version 2");
        Files.setLastModifiedTime(input, modified);
        BundleSpec spec =
                TestBundles.bundle("agent", "1").file("payload/a", "a", "0644").spec(dir.resolve("sources"));
        List<PayloadFile> files = new ArrayList<>(spec.files());
        files.add(new PayloadFile("payload/config.txt", input, "0644", walked));
        BundleSpec stamped = new BundleSpec(
                spec.name(),
                spec.version(),
                spec.sequence(),
                spec.createdAt(),
                spec.expiresAt(),
                spec.profile(),
                spec.token(),
                files);

        assertThatThrownBy(() -> new BundleWriter(3, 1).write(stamped, List.of(key.signingKey()), dir.resolve("out")))
                .isInstanceOfSatisfying(
                        FerryException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE))
                .hasMessageContaining("config.txt: changed while being packed");
    }

    @Test
    void fileRewrittenBetweenHashingAndPackingIsRefusedAndLeavesNoTemporaryFiles() throws Exception {
        Path input = Files.writeString(dir.resolve("config.txt"), "version 1");
        TestBundles bundle = TestBundles.bundle("agent", "1")
                .file("payload/a", "a", "0644")
                .file("payload/config.txt", input, "0644")
                .signedBy(key);
        // Progress is told of bytes while the payload is packed, after every hash is known: the file changes then,
        // to the same size and with the same modification time, as a restore into the runtime folder would.
        Progress rewrite = new Progress() {
            @Override
            public void total(long bytes) {}

            @Override
            public void advance(long bytes) {
                try {
                    // Same size, and the old modification time put back (as cp -p or a restore would).
                    FileTime modified = Files.getLastModifiedTime(input);
                    Files.writeString(input, "version 2");
                    Files.setLastModifiedTime(input, modified);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        };
        Path out = dir.resolve("out");
        assertThatThrownBy(() -> new BundleWriter(3, 1)
                        .write(bundle.spec(dir.resolve("sources")), List.of(key.signingKey()), out, rewrite))
                .isInstanceOfSatisfying(
                        FerryException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE))
                .hasMessageContaining("config.txt: changed while being packed");
        try (Stream<Path> left = Files.list(out)) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void ofSeveralFilesRewrittenAfterTheyWerePackedTheFirstInPathOrderIsNamed() throws Exception {
        TestBundles bundle = TestBundles.bundle("agent", "1");
        List<Path> inputs = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            Path input = Files.writeString(dir.resolve(String.format("f%03d.txt", i)), String.format("file %03d", i));
            inputs.add(input);
            bundle.file(String.format("payload/f%03d.txt", i), input, "0644");
        }
        bundle.signedBy(key);
        // Once the last byte is packed (every file read twice and found the same), two files are rewritten: the
        // stamps taken again at the end are what notice it.
        Progress rewriteAtTheEnd = new Progress() {
            private long total;
            private long done;

            @Override
            public void total(long bytes) {
                total = bytes;
            }

            @Override
            public void advance(long bytes) {
                done += bytes;
                if (done == total) {
                    rewrite(inputs.get(250));
                    rewrite(inputs.get(40));
                }
            }

            private void rewrite(Path input) {
                try {
                    Files.writeString(input, "file XXX");
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        };

        assertThatThrownBy(() -> new BundleWriter(3, 2)
                        .write(
                                bundle.spec(dir.resolve("sources")),
                                List.of(key.signingKey()),
                                dir.resolve("out"),
                                rewriteAtTheEnd))
                .isInstanceOfSatisfying(
                        FerryException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE))
                .hasMessageContaining("f040.txt: changed while being packed")
                .hasMessageNotContaining("f250");
    }

    static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
