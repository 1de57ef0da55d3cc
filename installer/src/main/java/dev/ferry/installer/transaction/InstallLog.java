package dev.ferry.installer.transaction;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.ferry.installer.host.AtomicFiles;
import dev.ferry.installer.host.HostPaths;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code <root>/var/log/ferry/NAME/install.log}: one JSON object per line and per command run. Only public facts:
 * never a token, password or key; messages are Ferry's own.
 */
public final class InstallLog {
    private static final ObjectMapper LINE = JsonMapper.builder().addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).build();

    private InstallLog() {}

    @JsonPropertyOrder({"time", "action", "name", "version", "sequence", "bundleSha256", "signers", "result", "exitCode",
            "durationMs", "message", "notes"})
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Line(Instant time, String action, String name, String version, Long sequence, String bundleSha256,
            List<String> signers, String result, int exitCode, long durationMs, String message, List<String> notes) {}

    /** A line written while a test-only switch is honoured says so: no silent trace of a moved clock. */
    private static Line withTestHooks(Line line) {
        List<String> hooks = TestHooks.current().logNotes();
        if (hooks.isEmpty()) {
            return line;
        }
        List<String> notes = new ArrayList<>(line.notes() == null ? List.of() : line.notes());
        notes.addAll(hooks);
        return new Line(line.time(), line.action(), line.name(), line.version(), line.sequence(), line.bundleSha256(),
                line.signers(), line.result(), line.exitCode(), line.durationMs(), line.message(), notes);
    }

    public static void append(HostPaths paths, Line line) {
        try {
            Files.createDirectories(paths.logDir());
            boolean fresh = !Files.exists(paths.installLog());
            byte[] bytes = (LINE.writeValueAsString(withTestHooks(line)) + "\n").getBytes(StandardCharsets.UTF_8);
            Files.write(paths.installLog(), bytes, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            if (fresh) {
                AtomicFiles.setMode(paths.installLog(), "0640");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + paths.installLog(), e);
        }
    }
}
