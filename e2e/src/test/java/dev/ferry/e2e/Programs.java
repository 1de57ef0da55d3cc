package dev.ferry.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the built programs ({@code bin/bundler}, {@code bin/installer}) and stock tools as real processes. */
public final class Programs {
    /** The repository root: the e2e module's parent. */
    public static final Path REPO = Path.of(System.getProperty("user.dir")).getParent();

    public record Run(int exitCode, String stdout, String stderr) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + stdout + "\n--- stderr\n" + stderr;
        }
    }

    /**
     * The JVM option that lets {@code bin/installer} honour {@code FERRY_TEST_NOW} and {@code FERRY_TEST_CRASH_AT}
     * (installer {@code TestHooks}); without it they are ignored, as on every real host.
     */
    public static final String TEST_HOOKS_ON = "-Dferry.testHooks=true";

    /** {@code env} (which sets {@code FERRY_JAVA_OPTS}) with the test hooks on when it passes a FERRY_TEST_ switch. */
    public static Map<String, String> withTestHooks(Map<String, String> env) {
        if (env.keySet().stream().noneMatch(name -> name.startsWith("FERRY_TEST_"))) {
            return env;
        }
        Map<String, String> on = new HashMap<>(env);
        on.merge("FERRY_JAVA_OPTS", TEST_HOOKS_ON, (opts, hooks) -> opts + " " + hooks);
        return on;
    }

    private Programs() {}

    public static Run bundler(String... args) {
        return run(Map.of(), prepend(REPO.resolve("bin/bundler").toString(), args));
    }

    public static Run installer(String... args) {
        return run(Map.of(), prepend(REPO.resolve("bin/installer").toString(), args));
    }

    public static Run run(Map<String, String> env, String... command) {
        return run(env, null, command);
    }

    public static Run run(Map<String, String> env, Path workDir, String... command) {
        return run(false, env, workDir, command);
    }

    /** @param onlyEnv start from an empty environment holding only {@code env} (a host that has none of ours) */
    public static Run run(boolean onlyEnv, Map<String, String> env, Path workDir, String... command) {
        try {
            Path out = Files.createTempFile("ferry-e2e", ".out");
            Path err = Files.createTempFile("ferry-e2e", ".err");
            try {
                ProcessBuilder pb =
                        new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
                if (onlyEnv) {
                    pb.environment().clear();
                }
                pb.environment().putAll(env);
                pb.environment().put("NO_COLOR", "1");
                if (workDir != null) {
                    pb.directory(workDir.toFile());
                }
                Process p = pb.start();
                p.getOutputStream().close();
                if (!p.waitFor(5, TimeUnit.MINUTES)) {
                    p.destroyForcibly();
                    throw new AssertionError("timed out: " + String.join(" ", command));
                }
                return new Run(
                        p.exitValue(),
                        Files.readString(out, StandardCharsets.UTF_8),
                        Files.readString(err, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    public static String[] prepend(String first, String... rest) {
        List<String> all = new ArrayList<>();
        all.add(first);
        all.addAll(List.of(rest));
        return all.toArray(String[]::new);
    }
}
