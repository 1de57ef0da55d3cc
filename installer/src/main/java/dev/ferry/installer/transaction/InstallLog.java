package dev.ferry.installer.transaction;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.ferry.common.Sanitizer;
import dev.ferry.common.files.AtomicWriter;
import dev.ferry.common.files.FileFailure;
import dev.ferry.common.files.FileMode;
import dev.ferry.installer.host.HostPaths;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code <root>/var/log/ferry/NAME/install.log}: one JSON object per line and per command run. Only public facts:
 * never a token, password or key; messages are Ferry's own.
 */
public final class InstallLog {
    private static final ObjectMapper LINE = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .build();

    private InstallLog() {}

    @JsonPropertyOrder({
        "time",
        "action",
        "name",
        "version",
        "sequence",
        "bundleSha256",
        "signers",
        "result",
        "exitCode",
        "durationMs",
        "message",
        "notes"
    })
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Line(
            Instant time,
            String action,
            String name,
            String version,
            Long sequence,
            String bundleSha256,
            List<String> signers,
            String result,
            int exitCode,
            long durationMs,
            String message,
            List<String> notes) {}

    /** A line written while a test-only switch is honoured says so: no silent trace of a moved clock. */
    private static Line withTestHooks(Line line) {
        List<String> hooks = TestHooks.current().logNotes();
        if (hooks.isEmpty()) {
            return line;
        }
        List<String> notes = new ArrayList<>(line.notes() == null ? List.of() : line.notes());
        notes.addAll(hooks);
        return new Line(
                line.time(),
                line.action(),
                line.name(),
                line.version(),
                line.sequence(),
                line.bundleSha256(),
                line.signers(),
                line.result(),
                line.exitCode(),
                line.durationMs(),
                line.message(),
                notes);
    }

    /**
     * A message or note may quote what came from outside (a proxy's answer, a bundle's field, a file name): no escape
     * sequence reaches the log, where {@code tail} would replay it to a terminal (issue 19 item 8).
     */
    private static Line printable(Line line) {
        List<String> notes = line.notes() == null
                ? null
                : line.notes().stream()
                        .map(n -> Sanitizer.printable(n, Integer.MAX_VALUE))
                        .toList();
        String message = line.message() == null ? null : Sanitizer.printable(line.message(), Integer.MAX_VALUE);
        return new Line(
                line.time(),
                line.action(),
                line.name(),
                line.version(),
                line.sequence(),
                line.bundleSha256(),
                line.signers(),
                line.result(),
                line.exitCode(),
                line.durationMs(),
                message,
                notes);
    }

    public static void append(HostPaths paths, Line line) {
        try {
            AtomicWriter.createFolders(paths.logDir(), FileMode.FOLDER);
            byte[] bytes =
                    (LINE.writeValueAsString(printable(withTestHooks(line))) + "\n").getBytes(StandardCharsets.UTF_8);
            // Created 0640 if new; a link planted at its name is refused, never written through.
            try (OutputStream log = AtomicWriter.append(paths.installLog(), FileMode.GROUP_READABLE)) {
                log.write(bytes);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(
                    FileFailure.of("write", paths.installLog(), e).getMessage(), e);
        }
    }
}
