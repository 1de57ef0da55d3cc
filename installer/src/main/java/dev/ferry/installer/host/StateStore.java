package dev.ferry.installer.host;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.ferry.common.ExitCode;
import dev.ferry.common.FerryException;
import dev.ferry.common.files.AtomicWriter;
import dev.ferry.common.files.FileFailure;
import dev.ferry.common.files.FileMode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * Reads and writes {@code state.json}; every write goes through the one {@link AtomicWriter}. What is read is not
 * trusted: it is read without following a link, size-capped, and every name in it is checked by
 * {@link StateNames} before anything uses it as a path. A damaged file is one line with the remedy.
 */
public final class StateStore {
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();
    /** A state file holds a few releases and a history of ten: anything near this size is not one. */
    static final int MAX_BYTES = 1 << 20;

    private StateStore() {}

    /** The agent's state, empty when it has none; a damaged state file throws {@link DamagedStateException}. */
    public static Optional<InstallState> read(HostPaths paths) {
        Path file = paths.stateFile();
        byte[] bytes;
        try {
            bytes = readCapped(file);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new DamagedStateException(file, FileFailure.reason(e), e);
        }
        InstallState state;
        try {
            state = MAPPER.readValue(bytes, InstallState.class);
        } catch (JsonProcessingException e) {
            throw new DamagedStateException(
                    file,
                    "it is not complete JSON (cut short or edited by hand)"
                            + (e.getLocation() == null
                                    ? ""
                                    : " near line " + e.getLocation().getLineNr()),
                    e);
        } catch (IOException e) {
            throw new DamagedStateException(file, FileFailure.reason(e), e);
        }
        if (state == null) {
            throw new DamagedStateException(file, "it is empty", null);
        }
        StateNames.check(file, paths.name(), state);
        return Optional.of(state);
    }

    /** Like {@link #read} but a damaged state counts as none: for commands that must work on a broken host. */
    public static Optional<InstallState> readIfIntact(HostPaths paths) {
        try {
            return read(paths);
        } catch (DamagedStateException e) {
            return Optional.empty();
        }
    }

    public static void write(HostPaths paths, InstallState state) {
        try {
            AtomicWriter.write(paths.stateFile(), MAPPER.writeValueAsBytes(state), FileMode.READABLE);
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }

    private static byte[] readCapped(Path file) throws IOException {
        if (Files.isSymbolicLink(file)) {
            throw new IOException("it is a symbolic link, which Ferry never follows");
        }
        if (Files.exists(file, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException("it is not a regular file");
        }
        try (InputStream in = Channels.newInputStream(
                Files.newByteChannel(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS))) {
            byte[] bytes = in.readNBytes(MAX_BYTES + 1);
            if (bytes.length > MAX_BYTES) {
                throw new IOException("it is larger than " + (MAX_BYTES >> 10) + " KiB, far more than any state file");
            }
            return bytes;
        }
    }

    /**
     * {@code state.json} cannot be trusted: one line saying so and what to do, never a parser's message. Exit 4:
     * the host is not in a state Ferry can act on, and nothing changed.
     */
    public static final class DamagedStateException extends FerryException {
        private static final long serialVersionUID = 1L;

        DamagedStateException(Path file, String why, Throwable cause) {
            super(
                    ExitCode.PREFLIGHT,
                    file + " is damaged (" + why + "), so Ferry cannot tell what is installed; nothing"
                            + " changed. Fix: move it aside (mv " + file + " " + file
                            + ".damaged) and install the bundle again"
                            + " (installer install --bundle FILE), or restore it from a backup",
                    cause);
        }
    }
}
