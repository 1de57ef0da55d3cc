package dev.ferry.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import com.github.luben.zstd.ZstdOutputStreamNoFinalizer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The guard must follow every frame layout a zstd encoder writes (the bundler uses only one of them) without
 * disturbing the decoder, and stop at the first skippable frame or non-frame wherever it sits.
 */
class ZstdFrameGuardTest {
    private static final byte[] TEXT =
            "payload/runtime/bin/agent 0755\n".repeat(2_000).getBytes();
    private static final byte[] NOISE = new Random(7)
            .ints(300_000, 0, 256)
            .collect(ByteArrayOutputStream::new, (out, b) -> out.write(b), (a, b) -> a.writeBytes(b.toByteArray()))
            .toByteArray();

    @Test
    void everyFrameLayoutPassesThroughUnchanged() throws Exception {
        byte[] dictionary = "payload/runtime/bin/agent 0755".repeat(40).getBytes();
        assertRoundTrip(Zstd.compress(TEXT, 3), TEXT); // single segment, content size in the header
        assertRoundTrip(Zstd.compress(new byte[200], 3), new byte[200]); // one-byte content size
        assertRoundTrip(Zstd.compress(new byte[1 << 20], 3), new byte[1 << 20]); // RLE blocks
        assertRoundTrip(Zstd.compress(NOISE, 3), NOISE); // raw (stored) blocks
        assertRoundTrip(streamed(TEXT, true), TEXT); // window descriptor, no content size, checksum
        assertRoundTrip(streamed(NOISE, false), NOISE);
        assertRoundTrip(
                concat(Zstd.compress(TEXT, 3), streamed(NOISE, true), Zstd.compress(new byte[0], 3)),
                concat(TEXT, NOISE));
        byte[] withDictionary = Zstd.compressUsingDict(TEXT, dictionary, 3);
        try (InputStream in = new ZstdInputStreamNoFinalizer(
                        new ZstdFrameGuard(new ByteArrayInputStream(withDictionary)))
                .setDict(dictionary)) {
            assertThat(in.readAllBytes()).isEqualTo(TEXT);
        }
    }

    @Test
    void aSkippableFrameIsRefusedWhereverItSits() {
        byte[] frame = Zstd.compress(TEXT, 3);
        byte[] skippable = {0x5e, 0x2a, 0x4d, 0x18, 3, 0, 0, 0, 'r', 'm', '!'};
        assertThatThrownBy(() -> decode(concat(skippable, frame)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("skippable frame at byte 0");
        assertThatThrownBy(() -> decode(concat(frame, skippable, frame)))
                .hasMessageContaining("skippable frame at byte " + frame.length);
        assertThatThrownBy(() -> decode(concat(streamed(NOISE, true), skippable)))
                .hasMessageContaining("skippable frame");
    }

    /** A decoder would set aside what the header asks for before the first block: 2 GiB here, from 10 bytes. */
    @Test
    void aFrameAskingForMoreThanZstdsOwnWindowLimitIsRefused() throws Exception {
        byte[] hugeWindow = {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd, 0x00, (byte) (21 << 3), 0x01, 0x00, 0x00, 0x00};
        byte[] hugeSingleSegment = {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd, (byte) 0xa0, 0, 0, 0, 0x40, 0x01, 0x00, 0x00};
        assertThatThrownBy(() -> decode(hugeWindow))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("asks for a window of 2147483648 bytes");
        assertThatThrownBy(() -> decode(concat(Zstd.compress(TEXT, 3), hugeSingleSegment)))
                .hasMessageContaining("the zstd frame at byte " + Zstd.compress(TEXT, 3).length);
        byte[] atTheLimit = {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd, 0x00, (byte) (17 << 3), 0x01, 0x00, 0x00};
        assertThat(decode(atTheLimit))
                .as("a 128 MiB window and one empty raw block")
                .isEmpty();
    }

    @Test
    void bytesThatAreNoFrameAreRefused() {
        assertThatThrownBy(() -> decode(concat(Zstd.compress(TEXT, 3), "#!/bin/sh".getBytes())))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("no zstd frame at byte");
    }

    private static void assertRoundTrip(byte[] compressed, byte[] expected) throws IOException {
        assertThat(decode(compressed)).isEqualTo(expected);
    }

    private static byte[] decode(byte[] compressed) throws IOException {
        try (InputStream in =
                new ZstdInputStreamNoFinalizer(new ZstdFrameGuard(new ByteArrayInputStream(compressed)))) {
            return in.readAllBytes();
        }
    }

    private static byte[] streamed(byte[] data, boolean checksum) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZstdOutputStreamNoFinalizer zstd = new ZstdOutputStreamNoFinalizer(out, 3)) {
            zstd.setChecksum(checksum);
            zstd.write(data);
        }
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
