package dev.ferry.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hardened host mounts its temp folder noexec, where zstd-jni cannot load the native library it unpacks there.
 * The installer still reads bundles: bin/ and the image load the library from beside their jars, unpacking nothing
 * (where it cannot load at all, bundles are read with the pure-Java decoder: PureJavaReadingTest).
 */
@Tag("slow")
class HardenedTempTest {
    @TempDir
    Path work;

    private final Mounts mounts = new Mounts();
    private InstallerFixture fx;

    @AfterEach
    void cleanUp() {
        if (fx != null) {
            fx.close();
        }
        mounts.close();
    }

    @Test
    void installsFromANoexecTempFolder() throws IOException {
        fx = new InstallerFixture(work, "none");
        mounts.tmpfs(fx.tmp, 64, "noexec,mode=1777");
        Path bundle = fx.bundle(InstallerFixture.BundleOptions.of("1.0.0", 1));

        Programs.Run install = fx.install(bundle, "--skip-selftest");

        assertThat(install.exitCode()).as(install.toString()).isZero();
        assertThat(install.stderr()).doesNotContain("Exception", "UnsatisfiedLinkError");
        assertThat(fx.release().resolve("runtime/bin/agent")).isRegularFile();
    }

    @Test
    void theInstallerImageLoadsZstdFromItsOwnFolder() throws IOException {
        NoJavaHost.assumeImagesBuilt();
        fx = new InstallerFixture(work, "none");
        Path bundle = fx.bundle(InstallerFixture.BundleOptions.of("1.0.0", 1));
        mounts.tmpfs(fx.tmp, 64, "noexec,mode=1777");
        assertThat(NoJavaHost.IMAGES.resolve("installer/lib/app/libzstd-jni.so"))
                .isNotEmptyFile();

        Programs.Run verify = Programs.run(
                Map.of("JAVA_TOOL_OPTIONS", "-Djava.io.tmpdir=" + fx.tmp),
                NoJavaHost.IMAGES.resolve("installer/bin/installer").toString(),
                "verify",
                "--bundle",
                bundle.toString(),
                "--trust",
                fx.trustPem.toString(),
                "--root",
                fx.root.toString());

        assertThat(verify.exitCode()).as(verify.toString()).isZero();
        try (Stream<Path> left = Files.list(fx.tmp)) {
            assertThat(left).as("nothing unpacked into the temp folder").isEmpty();
        }
    }
}
