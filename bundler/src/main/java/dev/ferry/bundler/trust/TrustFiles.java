package dev.ferry.bundler.trust;

import dev.ferry.bundle.trust.SignedTrust;
import dev.ferry.common.FerryException;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Writes a trust file whole or not at all: a signature added in place never leaves half a file behind. */
public final class TrustFiles {
    private TrustFiles() {}

    public static void write(SignedTrust doc, Path file) {
        Path target = file.toAbsolutePath();
        try {
            Files.createDirectories(target.getParent());
            Path partial = Files.createTempFile(target.getParent(), "." + target.getFileName() + ".", ".tmp");
            try {
                Files.write(partial, doc.bytes());
                try {
                    Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(partial);
            }
        } catch (IOException e) {
            throw FerryException.usage(file + ": cannot write: " + e.getMessage());
        }
    }
}
