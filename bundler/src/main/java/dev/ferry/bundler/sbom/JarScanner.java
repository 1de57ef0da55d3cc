package dev.ferry.bundler.sbom;

import dev.ferry.bundle.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;

/**
 * Finds what a Java archive says it is: its {@code META-INF/maven/GROUP/ARTIFACT/pom.properties} entries, and those
 * of the jars stored inside it. Only the central directory and those small entries are read from the archive
 * itself (its hash is already known); a nested jar is read once, through, to hash it. A file that is not a valid
 * zip is simply an archive without coordinates: the SBOM still lists it by hash.
 */
final class JarScanner {
    private static final Pattern POM_PROPERTIES = Pattern.compile("META-INF/maven/[^/]+/[^/]+/pom\\.properties");
    /** A nested jar larger than this (as the outer archive declares it) is listed without looking inside. */
    static final long MAX_NESTED_BYTES = 256L * 1024 * 1024;

    private JarScanner() {}

    /** Whether the SBOM looks inside {@code path} for coordinates. */
    static boolean isJavaArchive(String path) {
        String lower = path.toLowerCase(Locale.ROOT);
        return lower.endsWith(".jar") || lower.endsWith(".war") || lower.endsWith(".ear");
    }

    /**
     * @param file where it is read from
     * @param path the bundle path
     * @param sha256 the archive's SHA-256
     */
    static JavaArchive scan(Path file, String path, String sha256) {
        List<MavenCoordinates> found = new ArrayList<>();
        List<JavaArchive> nested = new ArrayList<>();
        try (ZipFile zip = new ZipFile(file.toFile())) {
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry entry = entries.nextElement();
                if (entry.isDirectory()) {
                    continue;
                }
                if (POM_PROPERTIES.matcher(entry.getName()).matches()) {
                    try (InputStream in = zip.getInputStream(entry)) {
                        MavenCoordinates.read(in).ifPresent(found::add);
                    }
                } else if (isJavaArchive(entry.getName()) && entry.getSize() <= MAX_NESTED_BYTES) {
                    try (InputStream in = zip.getInputStream(entry)) {
                        nested.add(scanNested(in, path + "!/" + entry.getName()));
                    }
                }
            }
        } catch (IOException | RuntimeException notAZip) {
            // ZipException, or a malformed entry (IllegalArgumentException): listed by hash alone.
            return new JavaArchive(path, sha256, null, List.of(), List.of());
        }
        return JavaArchive.identify(path, sha256, found, nested);
    }

    /** A jar stored in another: streamed once, for its pom.properties and its hash. Its own nested jars are not opened. */
    private static JavaArchive scanNested(InputStream stored, String path) throws IOException {
        MessageDigest sha256 = Sha256.digest();
        List<MavenCoordinates> found = new ArrayList<>();
        DigestInputStream hashed = new DigestInputStream(stored, sha256);
        try {
            ZipInputStream zip = new ZipInputStream(hashed);
            for (ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
                if (!entry.isDirectory()
                        && POM_PROPERTIES.matcher(entry.getName()).matches()) {
                    MavenCoordinates.read(zip).ifPresent(found::add);
                }
            }
        } catch (IOException | RuntimeException notAZip) {
            found.clear();
        }
        hashed.transferTo(OutputStream.nullOutputStream());
        return JavaArchive.identify(path, Sha256.hex(sha256), found, List.of());
    }
}
