package dev.ferry.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.ferry.bundle.testing.RawBundleWriter;
import dev.ferry.bundle.testing.TestBundles;
import dev.ferry.bundle.testing.TestKeys;
import dev.ferry.common.ExitCode;
import dev.ferry.common.FerryException;
import dev.ferry.keys.SigningKey;
import dev.ferry.keys.TrustedKeys;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every way a bundle can lie, and the one-line refusal (exit 3, or 6 for time) that each one gets. */
class HostileBundleTest {
    static final Instant CREATED = TestBundles.CREATED_AT;
    static final Clock NOW = Clock.fixed(CREATED.plus(Duration.ofDays(1)), ZoneOffset.UTC);
    static final byte[] ALPHA = "alpha-content\n".getBytes(StandardCharsets.UTF_8);
    static final byte[] BRAVO = "#!/bin/sh\necho bravo\n".getBytes(StandardCharsets.UTF_8);
    static final FileEntry A = RawBundleWriter.entryFor("payload/a", ALPHA, "0644");
    static final FileEntry B = RawBundleWriter.entryFor("payload/b", BRAVO, "0755");

    @TempDir
    Path dir;

    private final SigningKey key = TestKeys.generate();
    private final SigningKey stranger = TestKeys.generate();
    private final AtomicInteger sinkCalls = new AtomicInteger();

    static Manifest manifest(FileEntry... files) {
        return manifest(CREATED.plus(Duration.ofDays(90)), files);
    }

    static Manifest manifest(Instant expiresAt, FileEntry... files) {
        return new Manifest(
                Manifest.FORMAT,
                "agent",
                "1.0.0",
                1,
                CREATED,
                expiresAt,
                JsonNodeFactory.instance.objectNode(),
                null,
                List.of(files));
    }

    private RawBundleWriter signedHead(FileEntry... files) {
        return RawBundleWriter.create().signedManifest(manifest(files), key);
    }

    private Path write(RawBundleWriter raw) {
        return raw.writeTo(dir.resolve("hostile.bundle.tar.zst"));
    }

    private VerifiedBundle verify(Path bundle) {
        return verify(bundle, TestKeys.trust(key));
    }

    private VerifiedBundle verify(Path bundle, TrustedKeys trust) {
        return new BundleVerifier(trust, NOW).verify(bundle, (entry, in) -> {
            sinkCalls.incrementAndGet();
            in.transferTo(OutputStream.nullOutputStream());
        });
    }

    private void assertRefused(Path bundle, String... messageParts) {
        assertThatThrownBy(() -> verify(bundle)).isInstanceOfSatisfying(FerryException.class, e -> {
            assertThat(e.exitCode()).isEqualTo(ExitCode.VERIFICATION);
            assertThat(e.getMessage()).startsWith(bundle + ": ").doesNotContain("\n");
            for (String part : messageParts) {
                assertThat(e.getMessage()).contains(part);
            }
        });
    }

    @Test
    void wellFormedRawBundleIsAccepted() {
        Path bundle = write(signedHead(A, B)
                .file("payload/a", ALPHA, 0644)
                .file("payload/b", BRAVO, 0755)
                .endOfArchive());
        assertThat(verify(bundle).manifest().files()).containsExactly(A, B);
        assertThat(sinkCalls).hasValue(2);
    }

    @Test
    void flippedPayloadByteIsAHashMismatch() throws IOException {
        WrittenBundle real = TestBundles.bundle("agent", "1.0.0")
                .file("payload/a", ALPHA, "0644")
                .signedBy(key)
                .writeTo(dir.resolve("out"));
        byte[] tar = RawBundleWriter.decompress(real.path());
        int at = indexOf(tar, ALPHA);
        tar[at + 3] ^= 0x01;
        Path tampered = RawBundleWriter.writeTar(tar, dir.resolve("tampered.bundle.tar.zst"));
        assertRefused(tampered, "payload/a: SHA-256 does not match the manifest");
    }

    @Test
    void editedManifestWithTheOldSignatureIsRefusedBeforeAnyPayloadIsRead() {
        byte[] original = ManifestCodec.encode(manifest(A));
        byte[] edited = new String(original, StandardCharsets.UTF_8)
                .replace("\"1.0.0\"", "\"6.6.6\"")
                .getBytes(StandardCharsets.UTF_8);
        Path bundle = write(RawBundleWriter.create()
                .manifest(edited)
                .signature(key.keyId(), key.sign(original))
                .file("payload/a", ALPHA, 0644)
                .endOfArchive());
        assertRefused(bundle, "signature by trusted key " + key.keyId() + " does not match manifest.json");
        assertThat(sinkCalls).hasValue(0);
    }

    @Test
    void bundleSignedByAnUntrustedKeyNamesBothKeySets() {
        Path bundle = write(RawBundleWriter.create()
                .signedManifest(manifest(A), stranger)
                .file("payload/a", ALPHA, 0644)
                .endOfArchive());
        assertRefused(bundle, "signed only by untrusted keys " + stranger.keyId(), "trusted keys: " + key.keyId());
        assertThat(sinkCalls).hasValue(0);
    }

    @Test
    void unsignedBundleIsRefused() {
        Path bundle = write(RawBundleWriter.create()
                .manifest(ManifestCodec.encode(manifest(A)))
                .file("payload/a", ALPHA, 0644)
                .endOfArchive());
        assertRefused(bundle, "not signed");
    }

    @Test
    void signatureWithTheWrongLengthOrNameIsRefused() {
        Path shortSig = write(RawBundleWriter.create()
                .manifest(ManifestCodec.encode(manifest(A)))
                .signature(key.keyId(), new byte[63])
                .file("payload/a", ALPHA, 0644)
                .endOfArchive());
        assertRefused(shortSig, "is 63 bytes; an Ed25519 signature is 64");
        Path badName = write(RawBundleWriter.create()
                .manifest(ManifestCodec.encode(manifest(A)))
                .file("signatures/KEY.sig", new byte[64], 0644)
                .file("payload/a", ALPHA, 0644)
                .endOfArchive());
        assertRefused(badName, "is not named signatures/KEYID.sig");
    }

    @Test
    void emptyTrustIsRefusedWhateverTheBundle() {
        Path bundle = write(signedHead(A).file("payload/a", ALPHA, 0644).endOfArchive());
        assertThatThrownBy(() -> verify(bundle, TrustedKeys.of(Map.of())))
                .isInstanceOfSatisfying(
                        FerryException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.VERIFICATION))
                .hasMessageContaining(
                        "no trusted public key: pass --trust PUB or add keys to <root>/etc/ferry/trust.d/");
    }

    @Test
    void expiredBundleIsAValidityErrorThatSaysWhenAndWhatToDo() {
        Path bundle = write(RawBundleWriter.create()
                .signedManifest(manifest(CREATED.plus(Duration.ofHours(12)), A), key)
                .file("payload/a", ALPHA, 0644)
                .endOfArchive());
        Clock later = Clock.fixed(Instant.parse("2026-12-04T10:00:00Z"), ZoneOffset.UTC);
        assertThatThrownBy(() -> new BundleVerifier(TestKeys.trust(key), later).verify(bundle, PayloadSink.discard()))
                .isInstanceOfSatisfying(
                        FerryException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.VALIDITY))
                .hasMessage(bundle + ": bundle expired on 2026-11-22T22:00:00Z (11 days ago); build a new bundle");
    }

    @Test
    void bundleCreatedMoreThanADayAheadOfTheHostClockIsAValidityError() {
        Path bundle = write(signedHead(A).file("payload/a", ALPHA, 0644).endOfArchive());
        Clock behind = Clock.fixed(CREATED.minus(Duration.ofDays(2)), ZoneOffset.UTC);
        assertThatThrownBy(() -> new BundleVerifier(TestKeys.trust(key), behind).verify(bundle, PayloadSink.discard()))
                .isInstanceOfSatisfying(
                        FerryException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.VALIDITY))
                .hasMessageContaining("check the host clock");
        Clock slightlyBehind = Clock.fixed(CREATED.minus(Duration.ofHours(2)), ZoneOffset.UTC);
        assertThat(new BundleVerifier(TestKeys.trust(key), slightlyBehind).verify(bundle, PayloadSink.discard()))
                .isNotNull();
    }

    @Test
    void undeclaredEntryAfterTheLastFileIsRefused() {
        Path bundle = write(signedHead(A)
                .file("payload/a", ALPHA, 0644)
                .file("payload/zz-extra", BRAVO, 0644)
                .endOfArchive());
        assertRefused(bundle, "undeclared entry 'payload/zz-extra' after the last declared file");
    }

    @Test
    void undeclaredEntryBetweenFilesIsRefused() {
        Path bundle = write(signedHead(A, B)
                .file("payload/a", ALPHA, 0644)
                .file("payload/a2", BRAVO, 0644)
                .file("payload/b", BRAVO, 0755)
                .endOfArchive());
        assertRefused(bundle, "undeclared entry 'payload/a2' where 'payload/b' was expected");
    }

    @Test
    void missingEntryIsRefused() {
        Path bundle = write(signedHead(A, B).file("payload/a", ALPHA, 0644).endOfArchive());
        assertRefused(bundle, "missing entry 'payload/b': the archive ends before it");
    }

    @Test
    void reorderedEntriesAreRefused() {
        Path bundle = write(signedHead(A, B)
                .file("payload/b", BRAVO, 0755)
                .file("payload/a", ALPHA, 0644)
                .endOfArchive());
        assertRefused(bundle, "entry 'payload/b' is out of order where 'payload/a' was expected");
    }

    @Test
    void repeatedEntryIsRefused() {
        Path bundle = write(signedHead(A, B)
                .file("payload/a", ALPHA, 0644)
                .file("payload/a", ALPHA, 0644)
                .endOfArchive());
        assertRefused(bundle, "entry 'payload/a' appears twice");
    }

    @ParameterizedTest
    @ValueSource(strings = {"symlink", "hardlink", "directory", "fifo", "gnu-long-name", "global-pax", "char-device"})
    void nonRegularEntriesAreRefusedByType(String kind) {
        RawBundleWriter raw = signedHead(A, B).file("payload/a", ALPHA, 0644);
        String expected = switch (kind) {
            case "symlink" -> {
                raw.symlink("payload/b", "/etc/shadow");
                yield "'payload/b' is a symbolic link";
            }
            case "hardlink" -> {
                raw.hardlink("payload/b", "payload/a");
                yield "'payload/b' is a hard link";
            }
            case "directory" -> {
                raw.directory("payload/b");
                yield "'payload/b/' is a directory";
            }
            case "fifo" -> {
                raw.fifo("payload/b");
                yield "'payload/b' is a fifo";
            }
            case "char-device" -> {
                TarArchiveEntry device = new TarArchiveEntry("payload/b", TarConstants.LF_CHR, true);
                raw.header(device);
                yield "is a character device";
            }
            case "gnu-long-name" -> {
                TarArchiveEntry longName = new TarArchiveEntry("././@LongLink", TarConstants.LF_GNUTYPE_LONGNAME, true);
                longName.setSize(10);
                raw.entry(longName, "payload/b\0".getBytes(StandardCharsets.US_ASCII));
                yield "is a GNU long-name header";
            }
            case "global-pax" -> {
                TarArchiveEntry global =
                        new TarArchiveEntry("pax_global_header", TarConstants.LF_PAX_GLOBAL_EXTENDED_HEADER, true);
                global.setSize(0);
                raw.entry(global, new byte[0]);
                yield "is a global pax header";
            }
            default -> throw new IllegalArgumentException(kind);
        };
        Path bundle = write(raw.file("payload/b", BRAVO, 0755).endOfArchive());
        assertRefused(bundle, expected, "a bundle holds regular files only");
    }

    @ParameterizedTest
    @ValueSource(strings = {"../x", "/abs", "payload/../../etc/cron.d/x", "payload/a/../../x"})
    void traversalNamesAreRefusedAsUnsafe(String name) {
        Path bundle = write(signedHead(A)
                .file(name, ALPHA, 0644)
                .file("payload/a", ALPHA, 0644)
                .endOfArchive());
        assertRefused(bundle, "unsafe entry '" + name + "'");
        assertThat(sinkCalls).hasValue(0);
    }

    @Test
    void setuidModeIsRefusedEvenWhenEverythingElseMatches() {
        Path bundle = write(signedHead(A, B)
                .file("payload/a", ALPHA, 0644)
                .file("payload/b", BRAVO, 04755)
                .endOfArchive());
        assertRefused(bundle, "entry 'payload/b' has mode 4755, the manifest says 0755");
    }

    @Test
    void entryLargerThanDeclaredIsRefusedBeforeTheSinkSeesIt() {
        byte[] bigger = Arrays.copyOf(ALPHA, ALPHA.length + 100);
        Path bundle = write(signedHead(A).file("payload/a", bigger, 0644).endOfArchive());
        assertRefused(bundle, "entry 'payload/a' is " + bigger.length + " bytes, the manifest says " + ALPHA.length);
        assertThat(sinkCalls).hasValue(0);
    }

    @Test
    void manifestDeclaredAtFiveMibIsRefusedWithoutReadingIt() {
        // Only the header: if the verifier tried to read the 5 MiB it would report truncation, not the size.
        TarArchiveEntry huge = new TarArchiveEntry(BundleLayout.MANIFEST, TarConstants.LF_NORMAL, true);
        huge.setSize(5L * 1024 * 1024);
        huge.setMode(0644);
        Path bundle = write(RawBundleWriter.create().header(huge));
        assertRefused(bundle, "manifest.json is 5242880 bytes, over the limit of 4194304 (4 MiB)");
        assertThatThrownBy(() -> BundleReader.readManifest(bundle)).hasMessageContaining("over the limit");
    }

    @Test
    void firstEntryMustBeTheManifest() {
        Path bundle = write(RawBundleWriter.create()
                .file("payload/a", ALPHA, 0644)
                .signedManifest(manifest(A), key)
                .endOfArchive());
        assertRefused(bundle, "the first entry is 'payload/a', expected manifest.json");
    }

    @Test
    void truncatedBundleIsRefusedAsTruncatedWhereverItIsCut() throws IOException {
        byte[] big = new byte[200_000];
        new Random(3).nextBytes(big);
        WrittenBundle real = TestBundles.bundle("agent", "1.0.0")
                .file("payload/a", ALPHA, "0644")
                .file("payload/big", big, "0644")
                .signedBy(key)
                .writeTo(dir.resolve("out"));
        byte[] whole = Files.readAllBytes(real.path());
        List<Integer> cuts = new ArrayList<>(List.of(1, 4, 100, whole.length / 2, whole.length - 1));
        for (int cut : cuts) {
            Path truncated = Files.write(dir.resolve("cut-" + cut + ".bundle.tar.zst"), Arrays.copyOf(whole, cut));
            assertThatThrownBy(() -> verify(truncated))
                    .as("cut at " + cut)
                    .isInstanceOfSatisfying(
                            FerryException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.VERIFICATION))
                    .hasMessageContaining("truncated");
        }
    }

    @Test
    void tarWithoutEndBlocksIsTruncated() {
        Path bundle = write(signedHead(A).file("payload/a", ALPHA, 0644));
        assertRefused(bundle, "truncated");
    }

    @Test
    void garbageAfterTheCompressedStreamIsRefused() throws IOException {
        WrittenBundle real = TestBundles.bundle("agent", "1.0.0")
                .file("payload/a", ALPHA, "0644")
                .signedBy(key)
                .writeTo(dir.resolve("out"));
        Files.write(real.path(), "GARBAGE!".getBytes(StandardCharsets.US_ASCII), StandardOpenOption.APPEND);
        assertRefused(real.path());
    }

    @Test
    void dataHiddenAfterTheEndOfTheArchiveIsRefused() {
        Path afterEnd = write(signedHead(A)
                .file("payload/a", ALPHA, 0644)
                .endOfArchive()
                .bytes("hidden".getBytes(StandardCharsets.US_ASCII)));
        assertRefused(afterEnd, "unexpected data after the end of the archive");
        Path entryAfterEnd = write(
                signedHead(A).file("payload/a", ALPHA, 0644).endOfArchive().file("payload/b", BRAVO, 0644));
        assertRefused(entryAfterEnd, "unexpected data after the end of the archive");
    }

    @Test
    void dataHiddenInEntryPaddingIsRefused() {
        TarArchiveEntry entry = new TarArchiveEntry("payload/a", TarConstants.LF_NORMAL, true);
        entry.setSize(ALPHA.length);
        entry.setMode(0644);
        byte[] padding = new byte[512 - ALPHA.length];
        padding[10] = 'X';
        Path bundle =
                write(signedHead(A).header(entry).bytes(ALPHA).bytes(padding).endOfArchive());
        assertRefused(bundle, "hidden bytes in the padding");
    }

    @Test
    void paxSparseAndUnknownPaxKeysAreRefused() {
        Path sparse = write(signedHead(A)
                .pax(Map.of("GNU.sparse.map", "0,10"))
                .file("payload/a", ALPHA, 0644)
                .endOfArchive());
        assertRefused(sparse, "pax header key 'GNU.sparse.map' is not allowed");
    }

    @Test
    void paxPathNamesAreFollowedLikeTheWriterUsesThem() {
        Path ok = write(signedHead(A).paxFile("payload/a", ALPHA, 0644).endOfArchive());
        assertThat(verify(ok).manifest().files()).containsExactly(A);
        Path evil = write(signedHead(A).paxFile("../../etc/passwd", ALPHA, 0644).endOfArchive());
        assertRefused(evil, "unsafe entry '../../etc/passwd'");
    }

    @Test
    void notZstdAtAllIsACorruptBundleNotACrash() throws IOException {
        Path text = Files.writeString(dir.resolve("notes.bundle.tar.zst"), "this is not a bundle\n");
        assertRefused(text, "not a valid bundle: corrupt compressed data");
        Path empty = Files.write(dir.resolve("empty.bundle.tar.zst"), new byte[0]);
        assertRefused(empty, "truncated");
        Path plainTar = write(RawBundleWriter.create());
        Files.write(
                plainTar,
                RawBundleWriter.create()
                        .signedManifest(manifest(A), key)
                        .endOfArchive()
                        .tarBytes());
        assertRefused(plainTar, "corrupt compressed data");
    }

    @Test
    void controlCharactersInEntryNamesDoNotReachTheMessage() {
        Path bundle =
                write(signedHead(A).file("payload/a\u001b[2Jevil", ALPHA, 0644).endOfArchive());
        assertThatThrownBy(() -> verify(bundle))
                .hasMessageNotContaining("\u001b")
                .hasMessageContaining("\\u001b");
    }

    @Test
    void missingFileIsAUsageError() {
        assertThatThrownBy(() -> verify(dir.resolve("nope.bundle.tar.zst")))
                .isInstanceOfSatisfying(
                        FerryException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE))
                .hasMessageContaining("no such bundle file");
    }

    @Test
    void sinkFailureIsNotMistakenForABadBundle() {
        Path bundle = write(signedHead(A).file("payload/a", ALPHA, 0644).endOfArchive());
        assertThatThrownBy(() -> new BundleVerifier(TestKeys.trust(key), NOW).verify(bundle, (entry, in) -> {
                    throw new IOException("No space left on device");
                }))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("payload/a: cannot store: No space left on device");
    }

    @Test
    void tamperedManifestFieldsAreRefusedEvenWhenSigned() {
        UnaryOperator<String> negative = json -> json.replace("\"sequence\" : 1", "\"sequence\" : -1");
        byte[] bytes = negative.apply(new String(ManifestCodec.encode(manifest(A)), StandardCharsets.UTF_8))
                .getBytes(StandardCharsets.UTF_8);
        Path bundle = write(RawBundleWriter.create()
                .manifest(bytes)
                .signature(key.keyId(), key.sign(bytes))
                .file("payload/a", ALPHA, 0644)
                .endOfArchive());
        assertRefused(bundle, "manifest.json: field 'sequence' is negative");
    }

    @Test
    void randomCorruptionOfTarOrCompressedBytesIsAlwaysAVerificationErrorNeverACrash() throws IOException {
        WrittenBundle real = TestBundles.bundle("agent", "1.0.0")
                .file("payload/a", ALPHA, "0644")
                .file("payload/" + "long/".repeat(30) + "b", BRAVO, "0755")
                .signedBy(key)
                .writeTo(dir.resolve("out"));
        byte[] tar = RawBundleWriter.decompress(real.path());
        byte[] compressed = Files.readAllBytes(real.path());
        Random random = new Random(11);
        for (int i = 0; i < 300; i++) {
            boolean inTar = i % 2 == 0;
            byte[] mutated = (inTar ? tar : compressed).clone();
            for (int flips = 1 + random.nextInt(3); flips > 0; flips--) {
                mutated[random.nextInt(mutated.length)] ^= (byte) (1 << random.nextInt(8));
            }
            Path bundle = dir.resolve("fuzz.bundle.tar.zst");
            if (inTar) {
                RawBundleWriter.writeTar(mutated, bundle);
            } else {
                Files.write(bundle, mutated);
            }
            try {
                verify(bundle);
            } catch (FerryException e) {
                assertThat(e.exitCode())
                        .as("mutation %d: %s", i, e.getMessage())
                        .isEqualTo(ExitCode.VERIFICATION);
                assertThat(e.getMessage()).doesNotContain("\n");
            }
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }
}
