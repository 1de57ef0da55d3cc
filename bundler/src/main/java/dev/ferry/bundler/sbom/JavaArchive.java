package dev.ferry.bundler.sbom;

import java.util.ArrayList;
import java.util.List;

/**
 * A Java archive of the payload as the SBOM lists it.
 *
 * @param path its bundle path; a jar inside another is {@code OUTER!/ENTRY}
 * @param sha256 the archive's own SHA-256 (for a bundle file, the manifest's)
 * @param coordinates the archive's own Maven coordinates, or null when no pom.properties says which it is
 * @param included the other artifacts whose pom.properties it carries (a shaded or "fat" jar)
 * @param nested the jars stored inside it (a Spring Boot {@code BOOT-INF/lib/}, say)
 */
record JavaArchive(
        String path,
        String sha256,
        MavenCoordinates coordinates,
        List<MavenCoordinates> included,
        List<JavaArchive> nested) {

    /**
     * Which of the pom.properties found is the archive's own: the only one, or the one whose
     * {@code ARTIFACT-VERSION.} starts the file name. With several and no match, none is: nothing is invented.
     */
    static JavaArchive identify(String path, String sha256, List<MavenCoordinates> found, List<JavaArchive> nested) {
        String fileName = path.substring(path.lastIndexOf('/') + 1);
        MavenCoordinates own = null;
        if (found.size() == 1) {
            own = found.get(0);
        } else {
            List<MavenCoordinates> named =
                    found.stream().filter(c -> c.namesFile(fileName)).toList();
            own = named.size() == 1 ? named.get(0) : null;
        }
        List<MavenCoordinates> included = new ArrayList<>(found);
        included.remove(own);
        return new JavaArchive(path, sha256, own, List.copyOf(included), List.copyOf(nested));
    }

    /** The file name without its folders (and without the outer archive's name for a nested one). */
    String fileName() {
        return path.substring(Math.max(path.lastIndexOf('/'), path.lastIndexOf('!')) + 1);
    }
}
