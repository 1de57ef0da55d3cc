package dev.ferry.installer.diagnose;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Runs a host tool (ip, uname, timedatectl) with a timeout; empty when it is absent, fails or hangs. */
interface Commands {
    Optional<String> run(List<String> command);

    static Commands host() {
        return command -> {
            Path out = null;
            try {
                out = Files.createTempFile("ferry-diagnose-", ".out");
                Process p = new ProcessBuilder(command)
                        .redirectErrorStream(true)
                        .redirectOutput(out.toFile())
                        .start();
                if (!p.waitFor(5, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    return Optional.empty();
                }
                if (p.exitValue() != 0) {
                    return Optional.empty();
                }
                byte[] bytes = Files.size(out) > 1 << 20 ? new byte[0] : Files.readAllBytes(out);
                return Optional.of(new String(bytes, StandardCharsets.UTF_8));
            } catch (IOException e) {
                return Optional.empty();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            } finally {
                if (out != null) {
                    try {
                        Files.deleteIfExists(out);
                    } catch (IOException ignored) {
                        // a stray temp file is harmless
                    }
                }
            }
        };
    }
}
