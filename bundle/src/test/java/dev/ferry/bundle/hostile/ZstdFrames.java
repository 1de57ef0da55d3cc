package dev.ferry.bundle.hostile;

import java.io.ByteArrayOutputStream;

/** Hand-made zstd frames a compressor would not produce on its own terms: bombs and skippable frames. */
final class ZstdFrames {
    private static final int BLOCK = 128 * 1024;

    private ZstdFrames() {}

    /**
     * A frame of RLE blocks that decodes to {@code blocks} x 128 KiB of zeros, 4 bytes per block: 1 MiB of file is
     * 32 GiB of output. No content size and no checksum in the header, so nothing announces the size up front.
     */
    static byte[] zeroBomb(int blocks) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(6 + 4 * blocks);
        out.writeBytes(new byte[] {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd});
        out.write(0x00); // frame header: no content size, not single-segment, no checksum, no dictionary
        out.write(7 << 3); // window descriptor: 2^(10+7) = 128 KiB, the largest block
        for (int i = 0; i < blocks; i++) {
            int last = i == blocks - 1 ? 1 : 0;
            int header = (BLOCK << 3) | (1 << 1) | last; // Block_Type 1 = RLE, Block_Size = repetitions
            out.write(header & 0xff);
            out.write((header >>> 8) & 0xff);
            out.write((header >>> 16) & 0xff);
            out.write(0x00);
        }
        return out.toByteArray();
    }

    /** A skippable frame (magic 0x184D2A50): decoders step over it, so it can hide any bytes in a .zst file. */
    static byte[] skippable(byte[] hidden) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {0x50, 0x2a, 0x4d, 0x18});
        int n = hidden.length;
        out.writeBytes(new byte[] {(byte) n, (byte) (n >>> 8), (byte) (n >>> 16), (byte) (n >>> 24)});
        out.writeBytes(hidden);
        return out.toByteArray();
    }
}
