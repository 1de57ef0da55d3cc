package dev.ferry.bundle;

import dev.ferry.common.FerryException;
import dev.ferry.common.Reason;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.archivers.tar.TarUtils;
import org.apache.commons.compress.archivers.zip.ZipEncoding;
import org.apache.commons.compress.archivers.zip.ZipEncodingHelper;

/**
 * Reads a tar stream the way {@link BundleWriter} writes it and refuses everything else: POSIX ustar headers with
 * valid checksums, optional pax extended headers (only the keys our writer may emit), regular files, zero padding,
 * and zero blocks at the end. Commons Compress parses each header's fields; this class decides what is allowed,
 * because a general-purpose reader silently applies GNU long names, global pax headers and sparse maps that a
 * verifier must see and refuse. It holds at most one pax header in memory (bounded), never entry data.
 */
final class StrictTarReader {
    private static final Pattern PAX_NUMBER = Pattern.compile("[0-9]{1,19}");
    /** One entry as the archive declares it; only regular files ever get here. */
    record Header(String name, long size, int mode) {}

    private static final int BLOCK = 512;
    private static final int MAX_PAX_BYTES = 64 * 1024;
    /** GNU tar pads archives to 10 KiB records; we write 1 KiB of zeros and accept no more than a record. */
    private static final int MAX_END_ZEROS = 10240;

    private static final Set<String> PAX_KEYS =
            Set.of("path", "size", "mtime", "atime", "ctime", "uid", "gid", "uname", "gname");
    private static final ZipEncoding UTF8 = ZipEncodingHelper.getZipEncoding(StandardCharsets.UTF_8.name());

    private final InputStream in;
    private final String source;
    private final byte[] block = new byte[BLOCK];
    /** What {@link #finishEntry} drains into: one per archive, not one per entry of thousands. */
    private final byte[] drain = new byte[8192];

    private long remaining;
    private long padding;
    private MessageDigest digest;

    StrictTarReader(InputStream in, String source) {
        this.in = in;
        this.source = source;
    }

    private FerryException fail(String what) {
        return fail(Reason.MALFORMED_ARCHIVE, what);
    }

    private FerryException fail(Reason reason, String what) {
        return reason.failure(source + ": " + what);
    }

    /** The next entry's header, or null at the end-of-archive marker (a zero block). */
    Header next() throws IOException {
        finishEntry();
        readBlock();
        if (isZero(block, BLOCK)) {
            return null;
        }
        checkUstar();
        Map<String, String> pax = Map.of();
        if (block[156] == TarConstants.LF_PAX_EXTENDED_HEADER_LC) {
            checkMagic();
            pax = readPax();
            readBlock();
            if (isZero(block, BLOCK)) {
                throw fail("a pax header is followed by the end of the archive");
            }
            checkUstar();
            if (block[156] == TarConstants.LF_PAX_EXTENDED_HEADER_LC) {
                throw fail("two pax headers in a row: not written by bundler");
            }
        }
        String type = typeName(block[156]);
        if (type != null) {
            String name = pax.getOrDefault("path", TarUtils.parseName(block, 0, TarConstants.NAMELEN));
            throw fail(
                    Reason.UNSAFE_ENTRY,
                    "entry " + Printable.quote(name) + " is " + type + ": a bundle holds regular files only");
        }
        checkMagic();
        TarArchiveEntry entry;
        try {
            entry = new TarArchiveEntry(block, UTF8, false);
        } catch (IllegalArgumentException e) {
            throw fail("corrupt tar header: " + e.getMessage());
        }
        String name = pax.getOrDefault("path", entry.getName());
        if (!entry.getLinkName().isEmpty()) {
            throw fail(
                    Reason.UNSAFE_ENTRY,
                    "entry " + Printable.quote(name) + " names a link target: a bundle holds regular files only");
        }
        long size = pax.containsKey("size") ? paxNumber(pax.get("size"), name) : entry.getSize();
        if (size < 0) {
            throw fail("entry " + Printable.quote(name) + " has a negative size");
        }
        remaining = size;
        padding = (BLOCK - size % BLOCK) % BLOCK;
        digest = null;
        return new Header(name, size, entry.getMode());
    }

    /** The current entry's bytes, at most its declared size, each also fed to {@code sha256} when given. */
    InputStream content(MessageDigest sha256) {
        this.digest = sha256;
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return readContent(b, off, len);
            }

            @Override
            public void close() {
                // The archive stays open for the next entry; the rest of this one is drained by finishEntry.
            }
        };
    }

    /** Reads the current entry whole: only for the manifest and signatures, whose sizes were bounded first. */
    byte[] readSmallEntry(Header header) throws IOException {
        byte[] bytes = new byte[Math.toIntExact(header.size())];
        int off = 0;
        while (off < bytes.length) {
            int n = readContent(bytes, off, bytes.length - off);
            if (n < 0) {
                throw new EOFException("truncated");
            }
            off += n;
        }
        return bytes;
    }

    private int readContent(byte[] b, int off, int len) throws IOException {
        if (remaining == 0) {
            return -1;
        }
        int n;
        try {
            n = in.read(b, off, (int) Math.min(len, remaining));
        } catch (IOException e) {
            throw new BundleReadException(e);
        }
        if (n < 0) {
            throw new BundleReadException(new EOFException("truncated"));
        }
        remaining -= n;
        if (digest != null) {
            digest.update(b, off, n);
        }
        return n;
    }

    /** Drains what the consumer left of the current entry (still hashed) and checks the padding is zeros. */
    void finishEntry() throws IOException {
        while (remaining > 0) {
            readContent(drain, 0, drain.length);
        }
        if (padding > 0) {
            readFully(drain, (int) padding);
            if (!isZero(drain, (int) padding)) {
                throw fail("hidden bytes in the padding after an entry: not written by bundler");
            }
            padding = 0;
        }
    }

    /**
     * After {@link #next} returned null: what follows may only be zeros (at least the second end block, at most a
     * 10 KiB record), then the stream must end.
     */
    void expectEnd() throws IOException {
        byte[] buffer = new byte[BLOCK];
        long zeros = 0;
        for (int n; (n = in.read(buffer)) >= 0; ) {
            if (!isZero(buffer, n)) {
                throw fail("unexpected data after the end of the archive");
            }
            zeros += n;
            if (zeros > MAX_END_ZEROS) {
                throw fail("unexpected data after the end of the archive (more than " + MAX_END_ZEROS
                        + " bytes of zeros)");
            }
        }
        if (zeros < BLOCK || zeros % BLOCK != 0) {
            throw new EOFException("truncated");
        }
    }

    private void checkUstar() {
        boolean valid;
        try {
            valid = TarUtils.verifyCheckSum(block);
        } catch (IllegalArgumentException e) {
            valid = false;
        }
        if (!valid) {
            throw fail("corrupt tar header (bad checksum)");
        }
    }

    private void checkMagic() {
        if (!matches(block, TarConstants.MAGIC_OFFSET, TarConstants.MAGIC_POSIX)
                || !matches(block, TarConstants.VERSION_OFFSET, TarConstants.VERSION_POSIX)) {
            throw fail("tar header is not POSIX ustar: not written by bundler");
        }
    }

    private Map<String, String> readPax() throws IOException {
        long size;
        try {
            size = TarUtils.parseOctalOrBinary(
                    block,
                    TarConstants.NAMELEN + TarConstants.MODELEN + TarConstants.UIDLEN + TarConstants.GIDLEN,
                    TarConstants.SIZELEN);
        } catch (IllegalArgumentException e) {
            throw fail("corrupt pax header size");
        }
        if (size < 0 || size > MAX_PAX_BYTES) {
            throw fail("pax header of " + size + " bytes (limit " + MAX_PAX_BYTES + ")");
        }
        byte[] data = new byte[(int) size];
        readFully(data, data.length);
        int pad = (int) ((BLOCK - size % BLOCK) % BLOCK);
        byte[] padBytes = new byte[pad];
        readFully(padBytes, pad);
        if (!isZero(padBytes, pad)) {
            throw fail("hidden bytes in the padding after a pax header");
        }
        return parsePax(data);
    }

    /** Pax records are {@code "LEN KEY=VALUE\n"} with LEN counting the whole record. */
    private Map<String, String> parsePax(byte[] data) {
        Map<String, String> records = new HashMap<>();
        int pos = 0;
        while (pos < data.length) {
            int space = pos;
            while (space < data.length && data[space] >= '0' && data[space] <= '9' && space - pos < 6) {
                space++;
            }
            if (space == pos || space >= data.length || data[space] != ' ') {
                throw fail("malformed pax header");
            }
            int length = Integer.parseInt(new String(data, pos, space - pos, StandardCharsets.US_ASCII));
            int end = pos + length;
            if (length <= space - pos + 1 || end > data.length || data[end - 1] != '\n') {
                throw fail("malformed pax header");
            }
            String record = utf8(data, space + 1, end - 1 - (space + 1));
            int eq = record.indexOf('=');
            if (eq <= 0) {
                throw fail("malformed pax header");
            }
            String key = record.substring(0, eq);
            if (!PAX_KEYS.contains(key)) {
                throw fail(
                        Reason.UNSAFE_ENTRY, "pax header key " + Printable.quote(key) + " is not allowed in a bundle");
            }
            if (records.put(key, record.substring(eq + 1)) != null) {
                throw fail("pax header key " + Printable.quote(key) + " appears twice");
            }
            pos = end;
        }
        return records;
    }

    private String utf8(byte[] data, int off, int len) {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(data, off, len))
                    .toString();
        } catch (CharacterCodingException e) {
            throw fail("pax header is not valid UTF-8");
        }
    }

    private long paxNumber(String value, String name) {
        if (!PAX_NUMBER.matcher(value).matches()) {
            throw fail("entry " + Printable.quote(name) + " has a malformed pax size");
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw fail("entry " + Printable.quote(name) + " has a malformed pax size");
        }
    }

    /** What a non-regular entry is, in words, or null for a regular file. */
    private static String typeName(byte flag) {
        return switch (flag) {
            case TarConstants.LF_NORMAL, TarConstants.LF_OLDNORM -> null;
            case TarConstants.LF_LINK -> "a hard link";
            case TarConstants.LF_SYMLINK -> "a symbolic link";
            case TarConstants.LF_CHR -> "a character device";
            case TarConstants.LF_BLK -> "a block device";
            case TarConstants.LF_DIR -> "a directory";
            case TarConstants.LF_FIFO -> "a fifo";
            case TarConstants.LF_CONTIG -> "a contiguous file";
            case TarConstants.LF_PAX_GLOBAL_EXTENDED_HEADER -> "a global pax header";
            case TarConstants.LF_GNUTYPE_LONGNAME -> "a GNU long-name header";
            case TarConstants.LF_GNUTYPE_LONGLINK -> "a GNU long-link header";
            case TarConstants.LF_GNUTYPE_SPARSE -> "a GNU sparse file";
            default -> "of unknown type " + Printable.quote(String.valueOf((char) (flag & 0xff)));
        };
    }

    private void readBlock() throws IOException {
        readFully(block, BLOCK);
    }

    private void readFully(byte[] buffer, int len) throws IOException {
        int off = 0;
        while (off < len) {
            int n = in.read(buffer, off, len - off);
            if (n < 0) {
                throw new EOFException("truncated");
            }
            off += n;
        }
    }

    private static boolean matches(byte[] header, int offset, String expected) {
        byte[] bytes = expected.getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < bytes.length; i++) {
            if (header[offset + i] != bytes[i]) {
                return false;
            }
        }
        return true;
    }

    private static boolean isZero(byte[] bytes, int len) {
        for (int i = 0; i < len; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return true;
    }
}
