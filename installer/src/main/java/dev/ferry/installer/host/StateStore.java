package dev.ferry.installer.host;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.ferry.common.ExitCode;
import dev.ferry.common.FerryException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.util.Optional;

/** Reads and writes {@code state.json}; every write is atomic (temp file, fsync, rename, directory fsync). */
public final class StateStore {
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    private StateStore() {}

    public static Optional<InstallState> read(HostPaths paths) {
        try {
            return Optional.of(MAPPER.readValue(Files.readAllBytes(paths.stateFile()), InstallState.class));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            // Jackson's own message runs on over a second line ("at [Source: ...]"): the error is one line.
            String detail = e instanceof JsonProcessingException json ? json.getOriginalMessage() : e.getMessage();
            throw new FerryException(ExitCode.INTERNAL, paths.stateFile() + ": unreadable state: " + detail, e);
        }
    }

    public static void write(HostPaths paths, InstallState state) {
        try {
            AtomicFiles.write(paths.stateFile(), MAPPER.writeValueAsBytes(state), "0644");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + paths.stateFile(), e);
        }
    }
}
