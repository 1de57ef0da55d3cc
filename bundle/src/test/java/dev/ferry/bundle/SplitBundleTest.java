package dev.ferry.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.bundle.testing.TestBundles;
import dev.ferry.bundle.testing.TestKeys;
import dev.ferry.common.ExitCode;
import dev.ferry.common.FerryException;
import dev.ferry.keys.SigningKey;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SPEC section 11, split bundles: parts that cat back to the bundle, read in order, a damaged part named. */
class SplitBundleTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-23T10:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    private SigningKey key;
    private WrittenBundle bundle;
    private BundleVerifier verifier;

    @BeforeEach
    void writeBundle() {
        key = TestKeys.generate();
        byte[] noise = new byte[300_000];
        new Random(7).nextBytes(noise);
        bundle = TestBundles.bundle("certinext-bot", "1.4.2")
                .file("payload/runtime/bin/agent", "#!/bin/sh\necho agent\n", "0755")
                .file("payload/runtime/lib/noise.bin", noise, "0644")
                .file("payload/runtime/lib/more.bin", noise.clone(), "0644")
                .signedBy(key)
                .writeTo(dir.resolve("out"));
        verifier = new BundleVerifier(TestKeys.trust(key), CLOCK);
    }

    private BundleSplitter.Split split(long size) {
        return BundleSplitter.split(bundle.path(), size, dir.resolve("parts"));
    }

    @Test
    void partsConcatenateToTheBundleAndTheIndexDescribesThem() throws IOException {
        BundleSplitter.Split split = split(100_000);

        byte[] whole = Files.readAllBytes(bundle.path());
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        for (Path part : split.parts()) {
            assertThat(Files.size(part)).isLessThanOrEqualTo(100_000);
            joined.write(Files.readAllBytes(part));
        }
        assertThat(joined.toByteArray()).isEqualTo(whole);
        assertThat(split.parts()).hasSize((whole.length + 99_999) / 100_000);
        assertThat(split.parts().get(0).getFileName().toString()).isEqualTo("certinext-bot-1.4.2.bundle.tar.zst.001");
        PartsIndex index = PartsIndex.read(split.index());
        assertThat(index).isEqualTo(split.content());
        assertThat(index.size()).isEqualTo(whole.length);
        assertThat(index.sha256()).isEqualTo(bundle.sha256());
    }

    @Test
    void theIndexTheFirstPartAndTheWholeNameAllVerifyAsTheBundle() throws IOException {
        BundleSplitter.Split split = split(100_000);
        Path wholeName = dir.resolve("parts").resolve(bundle.path().getFileName());
        for (Path given : List.of(split.index(), split.parts().get(0), wholeName)) {
            List<String> seen = new ArrayList<>();
            VerifiedBundle verified = verifier.verify(given, (entry, content) -> {
                seen.add(entry.path());
                content.readAllBytes();
            });
            assertThat(verified.sha256()).isEqualTo(bundle.sha256());
            assertThat(seen)
                    .containsExactly(
                            "payload/runtime/bin/agent",
                            "payload/runtime/lib/more.bin",
                            "payload/runtime/lib/noise.bin",
                            "payload/secrets/binding-key",
                            "payload/secrets/token");
            assertThat(BundleReader.readManifest(given).manifest()).isEqualTo(bundle.manifest());
        }
    }

    @Test
    void aDamagedPartIsNamedWithItsNumber() throws IOException {
        BundleSplitter.Split split = split(100_000);
        Path third = split.parts().get(2);
        byte[] bytes = Files.readAllBytes(third);
        bytes[bytes.length / 2] ^= 0x40;
        Files.write(third, bytes);

        assertThatThrownBy(() -> verifier.verify(split.parts().get(0), PayloadSink.discard()))
                .isInstanceOfSatisfying(FerryException.class, e -> {
                    assertThat(e.exitCode()).isEqualTo(ExitCode.VERIFICATION);
                    assertThat(e.getMessage())
                            .isEqualTo("part 3 of " + split.parts().size() + " (" + third.getFileName()
                                    + "): sha256 mismatch, copy it again");
                });
    }

    @Test
    void aMissingOrShortPartIsNamedBeforeAnythingIsRead() throws IOException {
        BundleSplitter.Split split = split(100_000);
        int count = split.parts().size();
        Path last = split.parts().get(count - 1);
        byte[] bytes = Files.readAllBytes(last);
        Files.write(last, Arrays.copyOf(bytes, bytes.length - 10));
        List<String> seen = new ArrayList<>();
        assertThatThrownBy(() -> verifier.verify(split.index(), (entry, content) -> seen.add(entry.path())))
                .isInstanceOf(FerryException.class)
                .hasMessage("part " + count + " of " + count + " (" + last.getFileName() + "): short: "
                        + (bytes.length - 10) + " bytes, the index says " + bytes.length + ", copy it again");
        assertThat(seen).isEmpty();

        Files.delete(split.parts().get(1));
        assertThatThrownBy(() -> verifier.verify(split.index(), PayloadSink.discard()))
                .hasMessage(
                        "part 2 of " + count + " (" + split.parts().get(1).getFileName() + "): missing, copy it again");
    }

    @Test
    void anIndexThatDoesNotBelongToTheBundleIsRefused() throws IOException {
        BundleSplitter.Split split = split(100_000);
        PartsIndex index = split.content();
        // Consistent with itself and with each part, but naming another bundle than the signed manifest.
        Path other = dir.resolve("parts/other-2.0.bundle.tar.zst.parts");
        List<PartsIndex.Part> renamed = new ArrayList<>();
        for (int i = 0; i < index.parts().size(); i++) {
            PartsIndex.Part p = index.parts().get(i);
            String name = PartsIndex.partName("other-2.0.bundle.tar.zst", i + 1);
            Files.copy(split.parts().get(i), dir.resolve("parts").resolve(name));
            renamed.add(new PartsIndex.Part(name, p.size(), p.sha256()));
        }
        Files.write(other, new PartsIndex("other-2.0.bundle.tar.zst", index.size(), index.sha256(), renamed).encode());
        assertThatThrownBy(() -> verifier.verify(other, PayloadSink.discard()))
                .isInstanceOfSatisfying(
                        FerryException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.VERIFICATION))
                .hasMessageContaining("the signed manifest is of certinext-bot-1.4.2.bundle.tar.zst");

        // The whole sha256 the index names must be what the parts add up to.
        Files.write(
                split.index(), new PartsIndex(index.bundle(), index.size(), "0".repeat(64), index.parts()).encode());
        assertThatThrownBy(() -> verifier.verify(split.index(), PayloadSink.discard()))
                .isInstanceOfSatisfying(
                        FerryException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.VERIFICATION))
                .hasMessageContaining("the index does not belong to these parts");
    }

    @Test
    void malformedIndexesAreRefusedNamingTheIndex() throws IOException {
        BundleSplitter.Split split = split(100_000);
        String good = new String(Files.readAllBytes(split.index()), StandardCharsets.UTF_8);
        for (String bad : List.of(
                "[]",
                "{",
                good.replace("\"size\"", "\"size\":1,\"size\""),
                good.replace(".001\"", ".002\""),
                good.replace("\"ferry-parts/1\"", "\"x\""))) {
            Files.writeString(split.index(), bad);
            assertThatThrownBy(() -> PartsIndex.read(split.index()))
                    .isInstanceOfSatisfying(
                            FerryException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.VERIFICATION))
                    .hasMessageStartingWith(split.index() + ": not a valid index of bundle parts");
        }
        Files.delete(split.index());
        assertThatThrownBy(() -> verifier.verify(split.parts().get(0), PayloadSink.discard()))
                .isInstanceOfSatisfying(
                        FerryException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.VERIFICATION))
                .hasMessageContaining("copy the index too");
    }

    @Test
    void aSplitBundleCanBeCutAgainAndOldSurplusPartsGo() throws IOException {
        BundleSplitter.Split small = split(50_000);
        int before = small.parts().size();
        BundleSplitter.Split larger = BundleSplitter.split(small.index(), 200_000, dir.resolve("parts"));
        assertThat(larger.parts().size()).isLessThan(before);
        assertThat(Files.exists(dir.resolve("parts")
                        .resolve(PartsIndex.partName(
                                larger.content().bundle(), larger.parts().size() + 1))))
                .isFalse();
        assertThat(verifier.verify(larger.index(), PayloadSink.discard()).sha256())
                .isEqualTo(bundle.sha256());
    }

    @Test
    void sizesReadLikeSplitB() {
        assertThat(BundleSplitter.parseSize("700M")).isEqualTo(700L << 20);
        assertThat(BundleSplitter.parseSize("4000M")).isEqualTo(4000L << 20);
        assertThat(BundleSplitter.parseSize("4G")).isEqualTo(4L << 30);
        assertThat(BundleSplitter.parseSize("4000MB")).isEqualTo(4_000_000_000L);
        assertThat(BundleSplitter.parseSize("65536")).isEqualTo(65536);
        for (String bad : List.of("", "4Q", "-1M", "12", "M")) {
            assertThatThrownBy(() -> BundleSplitter.parseSize(bad))
                    .isInstanceOfSatisfying(
                            FerryException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE));
        }
    }
}
