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

    /**
     * zstd's own default limit for a decoder's window (2^27, 128 MiB). Enforced here, before either decoder sees the
     * frame: the native one is also capped by setLongMax, the pure-Java one would honour up to 2^31.
     */
    static final long MAX_WINDOW = 1L << 27;

    private enum Part {
        MAGIC,
        FRAME_HEADER,
        FRAME_FIELDS,
        BLOCK_HEADER,
        CHECKSUM
    }

    /** The longest part read whole: window descriptor, dictionary id and content size, 1 + 4 + 8 bytes. */
    private final byte[] header = new byte[13];

    private Part part = Part.MAGIC;
    private int need = 4;
    private int have;
    /** Block content still to pass before the next block header. */
    private long skip;

    private boolean frameHasChecksum;
    private boolean singleSegment;
    private int dictionaryIdBytes;
    private int contentSizeBytes;
    private long frameStart;
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
                    throw new IOException(
                            "a zstd skippable frame at byte " + partStart + " hides bytes that no signature covers");
                }
                if (magic != FRAME_MAGIC) {
                    throw new IOException("no zstd frame at byte " + partStart);
                }
                frameStart = partStart;
                expect(Part.FRAME_HEADER, 1);
            }
            case FRAME_HEADER -> {
                int descriptor = header[0] & 0xff;
                int contentSizeFlag = descriptor >>> 6;
                singleSegment = (descriptor & 0x20) != 0;
                frameHasChecksum = (descriptor & 0x04) != 0;
                dictionaryIdBytes = new int[] {0, 1, 2, 4}[descriptor & 0x03];
                contentSizeBytes =
                        contentSizeFlag == 0 ? (singleSegment ? 1 : 0) : new int[] {0, 2, 4, 8}[contentSizeFlag];
                // A frame header has a window descriptor or (single segment) a content size: never neither.
                expect(Part.FRAME_FIELDS, (singleSegment ? 0 : 1) + dictionaryIdBytes + contentSizeBytes);
            }
            case FRAME_FIELDS -> {
                long window = singleSegment ? contentSize() : windowSize(header[0] & 0xff);
                if (window < 0 || window > MAX_WINDOW) {
                    throw new IOException("the zstd frame at byte " + frameStart + " asks for a window of "
                            + Long.toUnsignedString(window) + " bytes, more than " + MAX_WINDOW);
                }
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

    /** RFC 8878 3.1.1.1.2: 2^(10 + exponent), plus eighths of it for the mantissa. */
    private static long windowSize(int descriptor) {
        long base = 1L << (10 + (descriptor >>> 3));
        return base + (base / 8) * (descriptor & 7);
    }

    /** RFC 8878 3.1.1.1.4: little-endian after the dictionary id; the 2-byte form counts from 256. */
    private long contentSize() {
        long size = 0;
        for (int k = contentSizeBytes - 1; k >= 0; k--) {
            size = (size << 8) | (header[dictionaryIdBytes + k] & 0xff);
        }
        return contentSizeBytes == 2 ? size + 256 : size;
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
