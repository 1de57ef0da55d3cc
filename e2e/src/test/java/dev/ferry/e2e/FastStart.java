package dev.ferry.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * JVM options for tests that start bin/installer hundreds of times (the fault tests, the hostile corpus): C1 alone and a
 * class-data archive of the installer, dumped once per test JVM into target/, halve the start-up. Logging off so no
 * JVM warning reaches stdout. Pass {@link #JVM_OPTIONS} in {@code FERRY_JAVA_OPTS}.
 */
final class FastStart {
    static final String JVM_OPTIONS = jvmOptions();

    private FastStart() {}

    private static String jvmOptions() {
        String opts = "-XX:TieredStopAtLevel=1 -Xlog:disable";
        try {
            Path dir = Files.createDirectories(Programs.REPO.resolve("e2e/target/fault-cds"));
            Path archive = dir.resolve("installer.jsa");
            Files.deleteIfExists(archive);
            Programs.Run dump = Programs.run(
                    Map.of("FERRY_JAVA_OPTS", opts + " -XX:ArchiveClassesAtExit=" + archive),
                    Programs.REPO.resolve("bin/installer").toString(),
                    "status",
                    "--json",
                    "--root",
                    dir.resolve("root").toString());
            return dump.exitCode() == 0 && Files.isRegularFile(archive)
                    ? opts + " -XX:SharedArchiveFile=" + archive
                    : opts;
        } catch (IOException e) {
            return opts;
        }
    }
}
