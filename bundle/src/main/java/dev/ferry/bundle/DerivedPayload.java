package dev.ferry.bundle;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Adds the derived files to the writer's inputs: each one is written to a hidden file beside the bundle being
 * written (so it is packed by the same read loop as every other file), hashed from memory, and merged into the
 * sorted lists. {@link #close()} removes the hidden files.
 */
final class DerivedPayload implements AutoCloseable {
    private final List<Path> temporary = new ArrayList<>();

    /** The merged inputs: files, their stamps and entries, in the same (sorted) order. */
    record Inputs(List<PayloadFile> files, List<FileStamp> stamps, List<FileEntry> entries) {}

    Inputs add(DerivedFiles derive, Inputs hashed, Path outDir, String bundleName) throws IOException {
        List<DerivedFiles.HashedFile> view = new ArrayList<>(hashed.files().size());
        for (int i = 0; i < hashed.files().size(); i++) {
            view.add(new DerivedFiles.HashedFile(
                    hashed.files().get(i), hashed.entries().get(i)));
        }
        List<DerivedFiles.DerivedFile> derived = derive.derive(List.copyOf(view));
        if (derived.isEmpty()) {
            return hashed;
        }
        List<PayloadFile> files = new ArrayList<>(hashed.files());
        List<FileEntry> entries = new ArrayList<>(hashed.entries());
        for (DerivedFiles.DerivedFile file : derived) {
            Path source = Files.createTempFile(outDir, "." + bundleName + ".", ".derived.tmp");
            temporary.add(source);
            Files.write(source, file.content());
            files.add(new PayloadFile(file.path(), source, file.mode()));
            MessageDigest sha256 = Sha256.digest();
            sha256.update(file.content());
            entries.add(file.entry(Sha256.hex(sha256)));
        }
        List<FileStamp> stamps = new ArrayList<>(hashed.stamps());
        stamps.addAll(InputFiles.stat(files.subList(hashed.files().size(), files.size())));
        List<Integer> order = IntStream.range(0, files.size())
                .boxed()
                .sorted(Comparator.comparing((Integer i) -> files.get(i).path(), PayloadPaths.ORDER))
                .toList();
        return new Inputs(
                order.stream().map(files::get).toList(),
                order.stream().map(stamps::get).toList(),
                order.stream().map(entries::get).toList());
    }

    @Override
    public void close() {
        for (Path path : temporary) {
            try {
                Files.deleteIfExists(path);
            } catch (IOException ignored) {
                // Owner-only (0600, as every JDK temp file) beside the bundle that carries the same bytes; the real
                // error, if any, is already on its way.
            }
        }
    }
}
