package dev.ferry.bundle;

import java.util.List;

/**
 * Payload files made from the others once they are hashed (the SBOM, the provenance): the writer asks for them
 * between its two reads, so they reuse the hashes it computed and are listed, signed and packed like any file.
 */
@FunctionalInterface
public interface DerivedFiles {
    DerivedFiles NONE = inputs -> List.of();

    /**
     * @param inputs every input file with its manifest entry, sorted by bundle path
     * @return the files to add; their paths must not be among the inputs'
     */
    List<DerivedFile> derive(List<HashedFile> inputs);

    /** One input as it will be listed: where it is read from and its manifest entry (size and SHA-256). */
    record HashedFile(PayloadFile input, FileEntry entry) {}

    /** A small file made in memory, carried under {@code path} (a {@code payload/} path) with {@code mode}. */
    record DerivedFile(String path, byte[] content, String mode) {
        /** How the manifest lists this file, with {@code sha256} (its content's, or a placeholder of that length). */
        FileEntry entry(String sha256) {
            return new FileEntry(path, content.length, sha256, mode);
        }
    }
}
