package dev.ferry.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;

/**
 * A host with no Java: a PATH of symlinks to exactly the stock tools a kit needs (this machine has /usr/bin/java,
 * so /usr/bin cannot be on it), no JAVA_HOME, nothing else from the test's environment. Also where the images are.
 */
final class NoJavaHost {
    static final Path IMAGES = Programs.REPO.resolve("dist/target/images");
    static final List<String> TOOLS = List.of(
            "sh",
            "tar",
            "gzip",
            "sha256sum",
            "mktemp",
            "rm",
            "mkdir",
            "uname",
            "df",
            "tail",
            "head",
            "dd",
            "cat",
            "awk",
            "cut",
            "basename",
            "dirname",
            "id",
            "chmod",
            "ls");

    private final Path tools;
    private final Path home;

    NoJavaHost(Path dir) throws IOException {
        tools = Files.createDirectories(dir.resolve("tools"));
        home = Files.createDirectories(dir.resolve("home"));
        for (String tool : TOOLS) {
            Path real = List.of(Path.of("/usr/bin", tool), Path.of("/bin", tool)).stream()
                    .filter(Files::isExecutable)
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("stock tool missing: " + tool));
            Files.createSymbolicLink(tools.resolve(tool), real);
        }
        Programs.Run java = run(dir, "sh", "-c", "command -v java || echo \"JAVA_HOME=${JAVA_HOME:-}\"");
        assertThat(java.stdout().strip()).as("no java reachable on this host").isEqualTo("JAVA_HOME=");
    }

    /** The images are built by `mvn package` unless -Dferry.skipImages=true. */
    static void assumeImagesBuilt() {
        Assumptions.assumeFalse(
                "true".equals(System.getProperty("ferry.skipImages")), "images skipped (-Dferry.skipImages=true)");
        assertThat(IMAGES.resolve("installer/bin/installer"))
                .as("installer image (dist)")
                .isExecutable();
        assertThat(IMAGES.resolve("bundler/bin/bundler"))
                .as("bundler image (dist)")
                .isExecutable();
    }

    Programs.Run run(Path workDir, String... command) {
        return run(workDir, Map.of(), command);
    }

    Programs.Run run(Path workDir, Map<String, String> extraEnv, String... command) {
        Map<String, String> env =
                new HashMap<>(Map.of("PATH", tools.toString(), "HOME", home.toString(), "TMPDIR", home.toString()));
        env.putAll(extraEnv);
        return Programs.run(true, env, workDir, command);
    }

    Path home() {
        return home;
    }
}
