package dev.ferry.bundle;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a delta bundle leaves behind (SPEC section 11): a file of the new release whose path, size and SHA-256 are the
 * base release's is marked {@code from: base} and not carried; everything else travels. Secrets always travel (no
 * release folder keeps them). Memory: one small record per base file (path and digest), never file contents.
 */
public final class DeltaPlan {
    private final DeltaBase base;
    private final Map<String, FileEntry> baseFiles = new HashMap<>();

    private DeltaPlan(DeltaBase base, List<FileEntry> files) {
        this.base = base;
        files.forEach(f -> baseFiles.put(f.path(), f));
    }

    /** @param baseBundle the base bundle's manifest as read from it (its exact bytes name the base) */
    public static DeltaPlan against(ManifestView baseBundle) {
        Manifest m = baseBundle.manifest();
        MessageDigest digest = Sha256.digest();
        digest.update(baseBundle.manifestBytes());
        return new DeltaPlan(new DeltaBase(m.name(), m.version(), m.sequence(), Sha256.hex(digest)), m.files());
    }

    public DeltaBase base() {
        return base;
    }

    /** The entries with every file the base release already holds, byte for byte, marked {@code from: base}. */
    List<FileEntry> mark(List<FileEntry> entries) {
        List<FileEntry> marked = new ArrayList<>(entries.size());
        for (FileEntry entry : entries) {
            FileEntry old = baseFiles.get(entry.path());
            // Secrets first: they publish no SHA-256 to compare, and no release keeps them anyway.
            boolean same = !BundleLayout.isSecret(entry.path())
                    && old != null
                    && !old.isSecret()
                    && old.size() == entry.size()
                    && old.sha256().equals(entry.sha256());
            marked.add(same ? entry.reused() : entry);
        }
        return marked;
    }
}
