package dev.ferry.bundle;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Follows the zstd frame structure (RFC 8878) of the bundle file as its bytes go to the decoder, and refuses
 * skippable frames: decoders step over them without a word, so they could carry bytes that no signature covers and
 * no manifest entry declares. Only the frame and block headers are parsed; block contents pass untouched, so this
 * costs nothing measurable. Everything else about the frames (sizes, checksums, corruption) is the decoder's job.
 */
final class ZstdFrameGuard extends FilterInputStream {
    private static final int FRAME_MAGIC = 0xFD2FB528;
    private static final int SKIPPABLE_MAGIC = 0x184D2A50;
    private static final int SKIPPABLE_MASK = 0xFFFFFFF0;

    private enum Part { MAGIC, FRAME_HEADER, BLOCK_HEADER, CHECKSUM }

    private final byte[] header = new byte[4];
    private Part part = Part.MAGIC;
    private int need = 4;
    private int have;
    /** Bytes still to pass before the next header: block content, or frame header fields nobody needs here. */
    private long skip;
    private boolean frameHasChecksum;
    private long offset;
    private long partStart;

    ZstdFrameGuard(InputStream in) {
        super(in);
    }

    @Override
    public int read() throws IOException {
        int b = in.read();
        if (b >= 0) {
            observe(new byte[] {(byte) b}, 0, 1);
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
        if (n > 0) {
            observe(b, off, n);
        }
        return n;
    }

    /** Reads what it skips: every byte must be seen. */
    @Override
    public long skip(long n) throws IOException {
        byte[] buffer = new byte[(int) Math.min(n, 8192)];
        long skipped = 0;
        while (skipped < n) {
            int r = read(buffer, 0, (int) Math.min(buffer.length, n - skipped));
            if (r < 0) {
                break;
            }
            skipped += r;
        }
        return skipped;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    private void observe(byte[] b, int off, int n) throws IOException {
        int end = off + n;
        int i = off;
        while (i < end) {
            if (skip > 0) {
                int k = (int) Math.min(skip, end - i);
                skip -= k;
                i += k;
                offset += k;
                continue;
            }
            if (have == 0) {
                partStart = offset;
            }
            header[have++] = b[i++];
            offset++;
            if (have == need) {
                have = 0;
                next();
            }
        }
    }

    private void next() throws IOException {
        switch (part) {
            case MAGIC -> {
                int magic = littleEndian(4);
                if ((magic & SKIPPABLE_MASK) == SKIPPABLE_MAGIC) {
                    throw new IOException("a zstd skippable frame at byte " + partStart
                            + " hides bytes that no signature covers");
                }
                if (magic != FRAME_MAGIC) {
                    throw new IOException("no zstd frame at byte " + partStart);
                }
                expect(Part.FRAME_HEADER, 1);
            }
            case FRAME_HEADER -> {
                int descriptor = header[0] & 0xff;
                int contentSizeFlag = descriptor >>> 6;
                boolean singleSegment = (descriptor & 0x20) != 0;
                frameHasChecksum = (descriptor & 0x04) != 0;
                int dictionaryIdBytes = new int[] {0, 1, 2, 4}[descriptor & 0x03];
                int contentSizeBytes = contentSizeFlag == 0 ? (singleSegment ? 1 : 0) : new int[] {0, 2, 4, 8}[contentSizeFlag];
                // Window descriptor, dictionary id, content size: the decoder's business.
                skip = (singleSegment ? 0 : 1) + dictionaryIdBytes + contentSizeBytes;
                expect(Part.BLOCK_HEADER, 3);
            }
            case BLOCK_HEADER -> {
                int block = littleEndian(3);
                boolean last = (block & 1) != 0;
                int type = (block >>> 1) & 3;
                int size = block >>> 3;
                skip = type == 1 ? 1 : size; // an RLE block holds one byte, repeated `size` times
                if (!last) {
                    expect(Part.BLOCK_HEADER, 3);
                } else if (frameHasChecksum) {
                    expect(Part.CHECKSUM, 4);
                } else {
                    expect(Part.MAGIC, 4);
                }
            }
            case CHECKSUM -> expect(Part.MAGIC, 4);
        }
    }

    private void expect(Part next, int bytes) {
        part = next;
        need = bytes;
    }

    private int littleEndian(int bytes) {
        int value = 0;
        for (int k = bytes - 1; k >= 0; k--) {
            value = (value << 8) | (header[k] & 0xff);
        }
        return value;
    }
}
