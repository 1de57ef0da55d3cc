package dev.ferry.bundler.sbom;

import com.github.packageurl.MalformedPackageURLException;
import com.github.packageurl.PackageURL;
import com.github.packageurl.PackageURLBuilder;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import java.util.Properties;

/** A Maven artifact as its {@code META-INF/maven/GROUP/ARTIFACT/pom.properties} names it. */
record MavenCoordinates(String group, String artifact, String version) {
    /** Larger than any real pom.properties (a few hundred bytes): a bigger entry is not read. */
    static final int MAX_POM_PROPERTIES = 64 * 1024;

    /** {@code pkg:maven/GROUP/ARTIFACT@VERSION} */
    String purl() {
        try {
            return PackageURLBuilder.aPackageURL()
                    .withType(PackageURL.StandardTypes.MAVEN)
                    .withNamespace(group)
                    .withName(artifact)
                    .withVersion(version)
                    .build()
                    .canonicalize();
        } catch (MalformedPackageURLException e) {
            throw new IllegalStateException("coordinates checked when read: " + this, e);
        }
    }

    /** Whether {@code fileName} is what Maven names this artifact's jar ({@code ARTIFACT-VERSION.jar}). */
    boolean namesFile(String fileName) {
        return fileName.startsWith(artifact + "-" + version + ".");
    }

    /** The coordinates a pom.properties states; empty when one of the three is missing or unusable in a purl. */
    static Optional<MavenCoordinates> read(InputStream pomProperties) throws IOException {
        Properties props = new Properties();
        // Bounded: a hostile entry cannot make the scan read without end.
        props.load(new ByteArrayInputStream(pomProperties.readNBytes(MAX_POM_PROPERTIES)));
        String group = props.getProperty("groupId", "").strip();
        String artifact = props.getProperty("artifactId", "").strip();
        String version = props.getProperty("version", "").strip();
        if (group.isEmpty() || artifact.isEmpty() || version.isEmpty()) {
            return Optional.empty();
        }
        MavenCoordinates coordinates = new MavenCoordinates(group, artifact, version);
        try {
            coordinates.purl();
            return Optional.of(coordinates);
        } catch (IllegalStateException e) {
            return Optional.empty();
        }
    }
}
