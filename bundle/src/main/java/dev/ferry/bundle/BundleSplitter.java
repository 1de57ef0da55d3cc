package dev.ferry.bundle;

import dev.ferry.common.FerryException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Cuts a bundle into parts that fit a medium (SPEC section 11): {@code NAME.001}, {@code NAME.002}, ... of at most
 * the given size each, and the {@code NAME.parts} index ({@link PartsIndex}). {@code cat} of the parts in order is
 * the bundle, byte for byte. One streaming pass, one buffer; the source may itself be split (re-cut for another
 * medium). Parts are written under temporary names and renamed once all are written, the index last, so an
 * interrupted split never leaves an index that names parts that are not there.
 */
public final class BundleSplitter {
    /** An index lists at most this many parts (it stays well under its own size limit). */
    public static final int MAX_PARTS = 5000;

    public static final long MIN_PART_SIZE = 1024;
    private static final Pattern SIZE = Pattern.compile("([0-9]{1,15})([KMGT]?)(B?)", Pattern.CASE_INSENSITIVE);
    private static final int BUFFER = 1 << 20;

    private BundleSplitter() {}

    /**
     * A part size as {@code split -b} reads it: {@code 700M} is 700 MiB, {@code 4G} 4 GiB, {@code 4000MB} 4000 x
     * 10^6 bytes; a plain number is bytes. (A FAT32 file holds at most 4 GiB minus one byte: use {@code 4000M}.)
     */
    public static long parseSize(String text) {
        Matcher m = SIZE.matcher(text == null ? "" : text.trim());
        if (!m.matches()) {
            throw FerryException.usage("size: expected a size like 700M, 4000M or 4G, got '" + text + "'");
        }
        long number = Long.parseLong(m.group(1));
        String unit = m.group(2).toUpperCase(Locale.ROOT);
        long base = m.group(3).isEmpty() ? 1024 : 1000;
        int power = unit.isEmpty() ? 0 : "KMGT".indexOf(unit) + 1;
        long size = number;
        for (int i = 0; i < power; i++) {
            size = Math.multiplyExact(size, base);
        }
        if (size < MIN_PART_SIZE) {
            throw FerryException.usage("size: at least " + MIN_PART_SIZE + " bytes per part, got '" + text + "'");
        }
        return size;
    }

    /** The parts and index written: paths in order, and the index. */
    public record Split(Path index, List<Path> parts, PartsIndex content) {}

    /**
     * @param bundle a whole bundle, or a split one ({@link BundleSource})
     * @param outDir where the parts and index go (usually the bundle's folder)
     */
    public static Split split(Path bundle, long partSize, Path outDir) {
        BundleSource source = BundleSource.of(bundle);
        long whole = source.size();
        long count = Math.max(1, (whole + partSize - 1) / partSize);
        if (count > MAX_PARTS) {
            throw FerryException.usage("size: " + partSize + " bytes per part would cut " + bundle + " into " + count
                    + " parts; at most " + MAX_PARTS);
        }
        String name = source.bundleFileName();
        List<Path> temporary = new ArrayList<>();
        try {
            Files.createDirectories(outDir);
            List<PartsIndex.Part> parts = new ArrayList<>();
            MessageDigest wholeDigest = Sha256.digest();
            byte[] buffer = new byte[BUFFER];
            try (InputStream in = source.open()) {
                for (int number = 1; number <= count; number++) {
                    String partName = PartsIndex.partName(name, number);
                    Path partial = Files.createTempFile(outDir, "." + partName + ".", ".tmp");
                    temporary.add(partial);
                    MessageDigest digest = Sha256.digest();
                    long written = copy(
                            in,
                            partial,
                            Math.min(partSize, whole - (number - 1) * partSize),
                            buffer,
                            digest,
                            wholeDigest);
                    parts.add(new PartsIndex.Part(partName, written, Sha256.hex(digest)));
                }
                if (in.read() >= 0) {
                    throw FerryException.usage(bundle + ": grew while it was being split: split it again");
                }
            }
            PartsIndex index = new PartsIndex(name, whole, Sha256.hex(wholeDigest), parts);
            Path indexPartial = Files.createTempFile(outDir, "." + PartsIndex.indexName(name) + ".", ".tmp");
            temporary.add(indexPartial);
            Files.write(indexPartial, index.encode());
            List<Path> finalParts = new ArrayList<>();
            for (int i = 0; i < parts.size(); i++) {
                Path target = outDir.resolve(parts.get(i).name());
                move(temporary.get(i), target);
                finalParts.add(target);
            }
            // A part left from an earlier split into more parts would look like a part of this one.
            for (int number = parts.size() + 1;
                    Files.deleteIfExists(outDir.resolve(PartsIndex.partName(name, number)));
                    number++) {
                // deleted
            }
            Path indexFile = outDir.resolve(PartsIndex.indexName(name));
            move(indexPartial, indexFile);
            temporary.clear();
            return new Split(indexFile, finalParts, index);
        } catch (IOException e) {
            throw FerryException.usage(outDir + ": cannot write the parts: " + e.getMessage());
        } finally {
            for (Path leftover : temporary) {
                try {
                    Files.deleteIfExists(leftover);
                } catch (IOException ignored) {
                    // A hidden temporary file is harmless; the real error is on its way.
                }
            }
        }
    }

    private static long copy(
            InputStream in, Path target, long length, byte[] buffer, MessageDigest part, MessageDigest whole)
            throws IOException {
        long left = length;
        try (OutputStream out = Files.newOutputStream(target)) {
            while (left > 0) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                if (n < 0) {
                    throw new IOException("the bundle ended early (it shrank while it was being split)");
                }
                part.update(buffer, 0, n);
                whole.update(buffer, 0, n);
                out.write(buffer, 0, n);
                left -= n;
            }
        }
        return length;
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
