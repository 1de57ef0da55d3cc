package dev.ferry.installer.service;

import dev.ferry.common.files.AtomicWriter;
import dev.ferry.common.files.FileFailure;
import dev.ferry.common.files.FileMode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The service managers' own files (unit, pid file, registration), written through Ferry's one atomic writer. */
final class ServiceFiles {
    private ServiceFiles() {}

    /** A public file (0644): a unit, a pid, a registration; a reader or a crash sees the old or the new text. */
    static void write(Path target, String text) {
        try {
            AtomicWriter.write(target, text.getBytes(StandardCharsets.UTF_8), FileMode.READABLE);
        } catch (IOException e) {
            throw new ServiceException(FileFailure.of("write", target, e).getMessage(), e);
        }
    }

    /** Creates a log file 0640 (and its folder 0755) if missing; a link planted at its name is refused. */
    static void createLog(Path file) {
        try (OutputStream ignored = AtomicWriter.append(file, FileMode.GROUP_READABLE)) {
            // created or already there as a regular file
        } catch (IOException e) {
            throw new ServiceException(FileFailure.of("write", file, e).getMessage(), e);
        }
    }

    static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new ServiceException(FileFailure.of("delete", file, e).getMessage(), e);
        }
    }
}
