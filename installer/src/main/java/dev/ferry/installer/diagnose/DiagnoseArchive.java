package dev.ferry.installer.diagnose;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.cli.Json;
import dev.ferry.common.ExitCode;
import dev.ferry.common.FerryException;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * {@code installer diagnose} (SPEC section 7): a {@code .tar.gz} a support engineer reads with {@code tar -xzf}
 * alone. Every byte that comes from the host passes through the {@link Redactor}; secret files never enter it.
 * A broken or half-removed install still gives an archive, which lists what was missing.
 */
public final class DiagnoseArchive {
    public static final int LOG_LINES = 1000;
    static final List<String> LOGS = List.of("install.log", "agent.log", "error.log");
    private static final long MAX_CONFIG_FILE = 16L << 20;

    private DiagnoseArchive() {}

    public static Path write(Path out, DiagnoseInputs in) {
        return write(out, in, Optional.empty());
    }

    /** @param journal the service manager's own log of the agent (systemd's journal), archived as {@code logs/journal.txt} */
    public static Path write(Path out, DiagnoseInputs in, Optional<ServiceJournal> journal) {
        return write(out, in, Commands.host(), journal);
    }

    static Path write(Path out, DiagnoseInputs in, Commands commands) {
        return write(out, in, commands, Optional.empty());
    }

    static Path write(Path out, DiagnoseInputs in, Commands commands, Optional<ServiceJournal> journal) {
        Path target = out.toAbsolutePath();
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)
                && !Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)) {
            // The archive lands by a rename over the name: as root that would replace a device (/dev/full), a link
            // (/dev/stdout) or a fifo with a regular file.
            throw FerryException.usage(target + " exists and is not a regular file (a device, a link, a fifo or a"
                    + " folder): give --out a new file name");
        }
        Path work = null;
        try {
            Files.createDirectories(target.getParent());
            work = Files.createTempDirectory(target.getParent(), ".diagnose-");
            Path partial = work.resolve("archive.tar.gz");
            Redactor redactor = new Redactor(in.secrets());
            List<String> missing = new ArrayList<>();
            List<String> leftOut = new ArrayList<>();
            try (TarGzWriter tar = new TarGzWriter(partial, in.clock().instant())) {
                String host = Json.MAPPER.writeValueAsString(HostJson.collect(in, commands, missing));
                tar.text("host.json", redactor.fresh().text(host));
                tar.text("network.txt", redactor.fresh().text(NetworkFacts.collect(in, commands, missing)));
                JsonNode status = document(tar, "status.json", in.status(), redactor, missing);
                document(tar, "preflight.json", in.preflight(), redactor, missing);
                JsonNode selftest = document(tar, "selftest.json", in.selftest(), redactor, missing);
                config(tar, in, redactor, work, missing, leftOut);
                logs(tar, in, redactor, work, missing);
                if (journal.isPresent()) {
                    tar.file(
                            "logs/journal.txt",
                            redacted(
                                    "# " + journal.get().command() + "\n"
                                            + journal.get().text(),
                                    redactor.fresh(),
                                    work));
                }
                tar.text(
                        "missing.txt", missing.isEmpty() ? "nothing was missing\n" : String.join("\n", missing) + "\n");
                tar.text(
                        "summary.txt",
                        redactor.fresh()
                                .text(Summary.render(
                                        in, status, selftest, NetworkFacts.addresses(), missing, leftOut)));
            }
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return target;
        } catch (IOException e) {
            throw new FerryException(
                    ExitCode.INTERNAL, "cannot write the diagnose archive " + target + ": " + e.getMessage(), e);
        } finally {
            deleteTree(work);
        }
    }

    private static JsonNode document(TarGzWriter tar, String name, Object doc, Redactor redactor, List<String> missing)
            throws IOException {
        String reason = null;
        JsonNode node = null;
        if (doc == null) {
            reason = "not given: it could not be produced";
        } else if (doc instanceof DiagnoseInputs.Unavailable u) {
            reason = u.reason();
        } else {
            try {
                node = doc instanceof JsonNode n ? n : Json.MAPPER.valueToTree(doc);
            } catch (IllegalArgumentException e) {
                reason = "could not be serialised: " + e.getMessage();
            }
        }
        if (node == null) {
            missing.add(name + ": " + reason);
            tar.text(name, redactor.fresh().text(Json.MAPPER.writeValueAsString(Map.of("unavailable", reason))) + "\n");
            return null;
        }
        try {
            tar.text(name, redactor.fresh().text(Json.MAPPER.writeValueAsString(node)) + "\n");
        } catch (JsonProcessingException e) {
            tar.text(name, "{\"unavailable\":\"could not be written\"}\n");
        }
        return node;
    }

    private static void config(
            TarGzWriter tar,
            DiagnoseInputs in,
            Redactor redactor,
            Path work,
            List<String> missing,
            List<String> leftOut)
            throws IOException {
        Path dir = in.configDir();
        if (dir == null || !Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            missing.add("config folder " + dir
                    + (dir != null && Files.isSymbolicLink(dir) ? " (a symbolic link: never followed)" : "")
                    + " (no config archived)");
            return;
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir)) {
            files = walk.filter(p -> !p.equals(dir)).sorted().toList();
        }
        for (Path file : files) {
            String name = "config/" + dir.relativize(file).toString().replace('\\', '/');
            if (Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                leftOut.add(name + " (not a regular file)");
            } else if (isSecretFile(file, in)) {
                leftOut.add(name + " (never archived: holds a secret)");
            } else if (Files.size(file) > MAX_CONFIG_FILE) {
                leftOut.add(name + " (larger than 16 MiB)");
            } else if (isBinary(file)) {
                leftOut.add(name + " (binary)");
            } else {
                tar.file(name, redacted(file, 0, redactor.fresh(), work));
            }
        }
    }

    private static boolean isSecretFile(Path file, DiagnoseInputs in) throws IOException {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.equals("token")
                || name.startsWith("token.")
                || name.contains("password")
                || name.contains("secret")
                || name.endsWith(".key")
                || name.endsWith(".key.pem")
                || name.contains("private")) {
            return true;
        }
        for (Path secret : in.secretFiles()) {
            if (Files.exists(secret) && Files.isSameFile(secret, file)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isBinary(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            byte[] head = in.readNBytes(8192);
            for (byte b : head) {
                if (b == 0) {
                    return true;
                }
            }
            return false;
        }
    }

    private static void logs(TarGzWriter tar, DiagnoseInputs in, Redactor redactor, Path work, List<String> missing)
            throws IOException {
        Path dir = in.logDir();
        if (dir == null || !Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            missing.add("log folder " + dir
                    + (dir != null && Files.isSymbolicLink(dir) ? " (a symbolic link: never followed)" : "")
                    + " (no logs archived)");
            return;
        }
        for (String log : LOGS) {
            Path file = dir.resolve(log);
            if (Files.isSymbolicLink(file)) {
                // A link planted at a log's name could lead root to copy any file into the archive.
                missing.add("log " + file + " (a symbolic link: never followed)");
                continue;
            }
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                missing.add("log " + file);
                continue;
            }
            tar.file("logs/" + log, redacted(file, LogTail.startOfLastLines(file, LOG_LINES), redactor.fresh(), work));
        }
    }

    /** A text already in memory (bounded by its producer: {@code journalctl -n 1000}), redacted line by line. */
    private static Path redacted(String text, Redactor redactor, Path work) throws IOException {
        Path copy = Files.createTempFile(work, "part-", ".txt");
        try (BufferedWriter writer = Files.newBufferedWriter(copy, StandardCharsets.UTF_8)) {
            for (String line : (Iterable<String>) text.lines()::iterator) {
                String clean = redactor.line(line);
                if (clean != null) {
                    writer.write(clean);
                    writer.write('\n');
                }
            }
        }
        return copy;
    }

    /** The file from {@code offset} on, redacted line by line into a temporary file: streamed, never held whole. */
    private static Path redacted(Path source, long offset, Redactor redactor, Path work) throws IOException {
        Path copy = Files.createTempFile(work, "part-", ".txt");
        try (FileChannel channel = FileChannel.open(source, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            channel.position(offset);
            try (BufferedReader reader = new BufferedReader(Channels.newReader(channel, StandardCharsets.ISO_8859_1));
                    BufferedWriter writer = Files.newBufferedWriter(copy, StandardCharsets.ISO_8859_1)) {
                String line;
                while ((line = reader.readLine()) != null) {
                    String clean = redactor.line(line);
                    if (clean != null) {
                        writer.write(clean);
                        writer.write('\n');
                    }
                }
            }
        }
        return copy;
    }

    private static void deleteTree(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // leftover temp file: harmless
                }
            });
        } catch (IOException ignored) {
            // nothing to clean
        }
    }
}
