package dev.ferry.bundler.kit;

import dev.ferry.common.FerryException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The self-contained installer image (jpackage app image, built into {@code dist/target/images/installer}) that a
 * kit carries. Its launcher trusts every {@code *.pub.pem} in {@code lib/app/trust.d} (the image's launcher sets
 * {@code -Dferry.embeddedTrustDir=$APPDIR/trust.d}, and {@code $APPDIR} is {@code lib/app}).
 */
public final class InstallerImage {
    /** Set by bin/bundler and by the bundler image to where the installer image is. */
    public static final String PROPERTY = "ferry.installerImage";
    /** Where the embedded trusted keys go, relative to the image. */
    public static final String TRUST_DIR = "lib/app/trust.d";
    /** Inside {@link #TRUST_DIR}: the embedded trust chain ({@code 1.trust.json ...}) a host without one starts from. */
    public static final String CHAIN_DIR = "chain";

    static final String LAUNCHER = "bin/installer";

    private final Path root;

    private InstallerImage(Path root) {
        this.root = root;
    }

    /** The image at {@code dir}: a usage error naming it if it is not an installer image. */
    public static InstallerImage at(Path dir) {
        Path root = dir.toAbsolutePath().normalize();
        if (!Files.isExecutable(root.resolve(LAUNCHER)) || !Files.isDirectory(root.resolve("lib/app"))) {
            throw FerryException.usage(root + ": not an installer image (no bin/installer and lib/app); build it with"
                    + " `mvn package` (dist/target/images/installer) or pass --installer-image DIR");
        }
        return new InstallerImage(root);
    }

    /** The image named by {@code --installer-image}, else by the {@value #PROPERTY} system property. */
    public static InstallerImage locate(Path option, String property) {
        if (option != null) {
            return at(option);
        }
        if (property == null || property.isBlank()) {
            throw FerryException.usage("no installer image: pass --installer-image DIR (dist/target/images/installer"
                    + " after `mvn package`)");
        }
        return at(Path.of(property));
    }

    public Path root() {
        return root;
    }
}
