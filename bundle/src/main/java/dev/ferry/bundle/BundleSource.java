package dev.ferry.bundle;

import dev.ferry.common.FerryException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * What a user names as a bundle: a whole {@code NAME-VERSION.bundle.tar.zst}, or a split one (SPEC section 11) given
 * by its {@code .parts} index, by any of its parts ({@code .001} is the usual), or by the whole bundle's name when only
 * the parts and the index are there. A split bundle is read as one stream, part after part, never joined on disk;
 * each part is checked against the index as it ends ({@link PartsInputStream}), and cheaply (present, right size)
 * before anything is read.
 */
public final class BundleSource {
    private final Path given;
    private final Path folder;
    private final PartsIndex index;

    private BundleSource(Path given, Path folder, PartsIndex index) {
        this.given = given;
        this.folder = folder;
        this.index = index;
    }

    /** Resolves what the user named; a split bundle's index is read and checked here. */
    public static BundleSource of(Path given) {
        Path folder = given.toAbsolutePath().getParent();
        String fileName = given.getFileName() == null ? "" : given.getFileName().toString();
        if (fileName.endsWith(PartsIndex.SUFFIX)) {
            return new BundleSource(given, folder, PartsIndex.read(given));
        }
        if (PartsIndex.looksLikePart(fileName)) {
            Path index = folder.resolve(PartsIndex.indexName(PartsIndex.bundleOfPart(fileName)));
            if (!Files.exists(given)) {
                throw FerryException.usage(given + ": no such bundle file");
            }
            if (!Files.exists(index)) {
                throw FerryException.verification(given + ": a part of a split bundle, but its index "
                        + index.getFileName() + " is not beside it: copy the index too");
            }
            return new BundleSource(given, folder, PartsIndex.read(index));
        }
        Path index = folder.resolve(PartsIndex.indexName(fileName));
        if (!Files.exists(given) && Files.isRegularFile(index)) {
            return new BundleSource(given, folder, PartsIndex.read(index));
        }
        return new BundleSource(given, folder, null);
    }

    /** What the user named, for messages. */
    public Path path() {
        return given;
    }

    public boolean isSplit() {
        return index != null;
    }

    /** The split bundle's index; null for a whole bundle. */
    public PartsIndex index() {
        return index;
    }

    /** The whole bundle's file name, {@code NAME-VERSION.bundle.tar.zst}, also for a split one. */
    public String bundleFileName() {
        return index != null ? index.bundle() : given.getFileName().toString();
    }

    /** The whole bundle's size in bytes. */
    public long size() {
        if (index != null) {
            return index.size();
        }
        try {
            return Files.size(given);
        } catch (IOException e) {
            throw missing();
        }
    }

    /**
     * The whole bundle's bytes. For a split bundle: every part present and of the size the index says (checked now,
     * before anything is read), then each part's SHA-256 checked as it ends.
     */
    public InputStream open() {
        if (index == null) {
            if (!Files.isRegularFile(given)) {
                throw missing();
            }
            try {
                return Files.newInputStream(given);
            } catch (NoSuchFileException e) {
                throw missing();
            } catch (IOException e) {
                throw FerryException.usage(given + ": cannot read bundle: " + e.getMessage());
            }
        }
        checkPartsPresent();
        return new PartsInputStream(folder, index);
    }

    /** Every part present with the size the index says: a stat per part, no byte read. */
    public void checkPartsPresent() {
        for (int i = 0; i < index.parts().size(); i++) {
            PartsIndex.Part part = index.parts().get(i);
            Path file = folder.resolve(part.name());
            if (!Files.isRegularFile(file)) {
                throw PartsInputStream.damaged(index, i, "missing");
            }
            long size;
            try {
                size = Files.size(file);
            } catch (IOException e) {
                throw PartsInputStream.damaged(index, i, "cannot read (" + e.getMessage() + ")");
            }
            if (size != part.size()) {
                throw PartsInputStream.damaged(
                        index,
                        i,
                        (size < part.size() ? "short: " : "too long: ") + size + " bytes, the index says "
                                + part.size());
            }
        }
    }

    private FerryException missing() {
        return FerryException.usage(given + ": no such bundle file");
    }
}
