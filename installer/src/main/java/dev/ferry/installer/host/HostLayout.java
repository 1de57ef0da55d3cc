package dev.ferry.installer.host;

import dev.ferry.common.FerryException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The host layout of SPEC section 4 under a root ({@code --root DIR}, "/" on a real host). Only the paths shared by
 * every agent live here; {@link #agent} gives one agent's paths. Nothing in Ferry builds a host path any other way,
 * which is what keeps every write under the root.
 */
public record HostLayout(Path root, HostFlavor flavor) {
    /** Agent names and release versions become folder names: no separators, no "..", nothing hidden. */
    private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]{0,127}");

    public HostLayout(Path root) {
        this(root, HostFlavor.current());
    }

    public Path ferryStateDir() {
        return flavor == HostFlavor.WINDOWS
                ? root.resolve("ProgramData").resolve("Ferry")
                : root.resolve("var").resolve("lib").resolve("ferry");
    }

    /** The host lock of transaction step 1: one install at a time, whatever the agent. */
    public Path lockFile() {
        return ferryStateDir().resolve(".lock");
    }

    public Path trustDir() {
        return (flavor == HostFlavor.WINDOWS
                        ? ferryStateDir()
                        : root.resolve("etc").resolve("ferry"))
                .resolve("trust.d");
    }

    /** The pinned trust chain of SPEC section 10: {@code 1.trust.json ... N.trust.json}. */
    public Path trustChainDir() {
        return (flavor == HostFlavor.WINDOWS
                        ? ferryStateDir()
                        : root.resolve("etc").resolve("ferry"))
                .resolve("trust");
    }

    public HostPaths agent(String name) {
        return new HostPaths(root, requireSafe("agent name", name), flavor);
    }

    /** Names of agents that have a state file, sorted: those that are or were installed under this root. */
    public List<String> knownAgents() {
        List<String> names = new ArrayList<>();
        if (!Files.isDirectory(ferryStateDir())) {
            return names;
        }
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(ferryStateDir(), Files::isDirectory)) {
            for (Path dir : dirs) {
                String name = dir.getFileName().toString();
                if (SAFE_NAME.matcher(name).matches()
                        && Files.isRegularFile(agent(name).stateFile())) {
                    names.add(name);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        names.sort(null);
        return names;
    }

    public static String requireSafe(String what, String value) {
        if (value == null || !SAFE_NAME.matcher(value).matches()) {
            throw FerryException.verification(
                    "unsafe " + what + " '" + value + "': only letters, digits and . _ + - are allowed");
        }
        return value;
    }
}
