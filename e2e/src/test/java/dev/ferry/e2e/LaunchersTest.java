package dev.ferry.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class LaunchersTest {
    @Test
    void bothProgramsPrintTheirVersion() {
        assertThat(Programs.bundler("--version").stdout()).startsWith("bundler (Ferry) ");
        assertThat(Programs.installer("--version").stdout()).startsWith("installer (Ferry) ");
    }

    @Test
    void badFlagIsExitTwoWithOneLineAndNoStackTrace() {
        Programs.Run run = Programs.installer("status", "--no-such-flag");
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
        assertThat(run.stderr()).contains("--no-such-flag").doesNotContain("\tat ");
    }

    /** The installer verifies with the JDK alone: Bouncy Castle stays on the bundler side. */
    @Test
    void installerShipsWithoutBouncyCastle() throws IOException {
        try (Stream<java.nio.file.Path> libs = Files.list(Programs.REPO.resolve("installer/target/lib"))) {
            assertThat(libs.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("bc"));
        }
        try (Stream<java.nio.file.Path> libs = Files.list(Programs.REPO.resolve("bundler/target/lib"))) {
            assertThat(libs.map(p -> p.getFileName().toString())).anyMatch(n -> n.startsWith("bcprov"));
        }
    }
}
