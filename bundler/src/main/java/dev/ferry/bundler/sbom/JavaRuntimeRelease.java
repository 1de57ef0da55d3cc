package dev.ferry.bundler.sbom;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A JDK or jlinked JRE, known by the {@code release} file at its top ({@code JAVA_VERSION="17.0.15"},
 * {@code IMPLEMENTOR="Eclipse Adoptium"}, {@code MODULES="java.base ..."}).
 *
 * @param folder the bundle path of the folder holding {@code release}
 */
record JavaRuntimeRelease(String folder, String implementor, String version, String modules, String os, String arch) {
    static final String FILE_NAME = "release";
    /** A release file is a few hundred bytes; a larger file of that name is something else. */
    static final int MAX_BYTES = 64 * 1024;

    /** Whether the SBOM reads {@code path} as a possible release file. */
    static boolean isCandidate(String path, long size) {
        return size <= MAX_BYTES && (path.endsWith("/" + FILE_NAME));
    }

    /** The runtime {@code file} describes, or empty when it is not a Java release file. */
    static Optional<JavaRuntimeRelease> read(Path file, String path) {
        Map<String, String> fields = new LinkedHashMap<>();
        try (InputStream in = Files.newInputStream(file)) {
            String text = new String(in.readNBytes(MAX_BYTES), StandardCharsets.UTF_8);
            for (String line : text.split("\n")) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    fields.put(
                            line.substring(0, eq).strip(),
                            unquote(line.substring(eq + 1).strip()));
                }
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        String version = fields.getOrDefault("JAVA_RUNTIME_VERSION", fields.get("JAVA_VERSION"));
        if (version == null || version.isEmpty()) {
            return Optional.empty();
        }
        String folder = path.substring(0, path.length() - FILE_NAME.length() - 1);
        return Optional.of(new JavaRuntimeRelease(
                folder,
                fields.get("IMPLEMENTOR"),
                version,
                fields.get("MODULES"),
                fields.get("OS_NAME"),
                fields.get("OS_ARCH")));
    }

    private static String unquote(String value) {
        return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
                ? value.substring(1, value.length() - 1)
                : value;
    }
}
