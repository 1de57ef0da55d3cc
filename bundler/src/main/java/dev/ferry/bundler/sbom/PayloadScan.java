package dev.ferry.bundler.sbom;

import dev.ferry.bundle.DerivedFiles.HashedFile;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * What the payload's files say they are: the Java archives with their coordinates, the Java runtimes with their
 * release files. Reads nothing but jars' central directories and small entries and the small {@code release}
 * files: every file's hash is already known. Secret files are never opened.
 */
record PayloadScan(List<JavaArchive> archives, List<JavaRuntimeRelease> runtimes) {
    static PayloadScan of(List<HashedFile> inputs) {
        List<HashedFile> jars = new ArrayList<>();
        List<JavaRuntimeRelease> runtimes = new ArrayList<>();
        for (HashedFile file : inputs) {
            String path = file.entry().path();
            if (SecretFiles.isSecret(path)) {
                continue;
            }
            if (JarScanner.isJavaArchive(path)) {
                jars.add(file);
            } else if (JavaRuntimeRelease.isCandidate(path, file.entry().size())) {
                JavaRuntimeRelease.read(file.input().source(), path).ifPresent(runtimes::add);
            }
        }
        // Central directories are small reads scattered over the disk: a few threads keep the wait short.
        List<JavaArchive> archives = jars.parallelStream()
                .map(f -> JarScanner.scan(
                        f.input().source(), f.entry().path(), f.entry().sha256()))
                .sorted(Comparator.comparing(JavaArchive::path))
                .toList();
        return new PayloadScan(archives, List.copyOf(runtimes));
    }
}
