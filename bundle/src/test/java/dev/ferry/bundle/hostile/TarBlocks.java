package dev.ferry.bundle.hostile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.archivers.tar.TarUtils;
import org.apache.commons.compress.archivers.zip.ZipEncodingHelper;

/** Raw 512-byte tar headers edited after Commons Compress wrote them, with the checksum made valid again. */
final class TarBlocks {
    private static final int CHKSUM_OFFSET = 148;

    private TarBlocks() {}

    static byte[] header(TarArchiveEntry entry, Consumer<byte[]> edit) {
        byte[] block = new byte[512];
        try {
            entry.writeEntryHeader(block, ZipEncodingHelper.getZipEncoding("UTF-8"), false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        edit.accept(block);
        for (int i = 0; i < TarConstants.CHKSUMLEN; i++) {
            block[CHKSUM_OFFSET + i] = ' ';
        }
        TarUtils.formatCheckSumOctalBytes(
                TarUtils.computeCheckSum(block), block, CHKSUM_OFFSET, TarConstants.CHKSUMLEN);
        return block;
    }

    /** The header as GNU tar's old format writes it: magic {@code "ustar  \0"} instead of POSIX {@code "ustar\0" "00"}. */
    static byte[] oldGnu(TarArchiveEntry entry) {
        return header(
                entry,
                b -> System.arraycopy(
                        "ustar  \0".getBytes(StandardCharsets.US_ASCII), 0, b, TarConstants.MAGIC_OFFSET, 8));
    }

    /** A valid header whose checksum is then broken. */
    static byte[] badChecksum(TarArchiveEntry entry) {
        byte[] block = header(entry, b -> {});
        block[CHKSUM_OFFSET + 2] = (byte) (block[CHKSUM_OFFSET + 2] == '1' ? '2' : '1');
        return block;
    }

    /** Zero padding after {@code length} bytes of content, up to the next block. */
    static byte[] padding(int length) {
        return new byte[(512 - length % 512) % 512];
    }
}
