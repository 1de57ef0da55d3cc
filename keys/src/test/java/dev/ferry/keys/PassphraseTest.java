package dev.ferry.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.common.ExitCode;
import dev.ferry.common.FerryException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PassphraseTest {
    @TempDir
    Path dir;

    private Path file(String content) throws Exception {
        return Files.writeString(dir.resolve("pass"), content, StandardCharsets.UTF_8);
    }

    @Test
    void fileGivesItsFirstLineWithoutTheLineEnding() throws Exception {
        try (Passphrase p = Passphrase.fromFile(file("pässwörd 1\r\nline two\n"))) {
            assertThat(p.forNewKey()).containsExactly("pässwörd 1".toCharArray());
        }
        try (Passphrase p = Passphrase.fromFile(file("no newline at end"))) {
            assertThat(new String(p.forNewKey())).isEqualTo("no newline at end");
        }
    }

    @Test
    void emptyPassphrasesAreRefused() throws Exception {
        Path empty = file("\nsecond line does not count\n");
        assertThatThrownBy(() -> Passphrase.fromFile(empty))
                .isInstanceOf(FerryException.class)
                .hasMessageContaining(empty.toString())
                .hasMessageContaining("empty")
                .satisfies(e -> assertThat(((FerryException) e).exitCode()).isEqualTo(ExitCode.USAGE));
        assertThatThrownBy(() -> Passphrase.resolve(null, false, Map.of(Passphrase.ENV_VAR, "")))
                .hasMessageContaining(Passphrase.ENV_VAR)
                .hasMessageContaining("empty");
    }

    @Test
    void flagBeatsEnvironmentAndNoSourceIsRefusedOnlyWhereNeeded() throws Exception {
        Map<String, String> env = Map.of(Passphrase.ENV_VAR, "from-env");
        try (Passphrase p = Passphrase.resolve(file("from-file\n"), false, env)) {
            assertThat(new String(p.forNewKey())).isEqualTo("from-file");
            assertThat(p.source()).startsWith("--passphrase-file ");
        }
        try (Passphrase p = Passphrase.resolve(null, false, env)) {
            assertThat(new String(p.forNewKey())).isEqualTo("from-env");
            assertThat(p.source()).isEqualTo(Passphrase.ENV_VAR);
        }
        try (Passphrase p = Passphrase.resolve(null, true, env)) {
            assertThat(p.isNone()).isTrue();
            assertThat(p.forNewKey()).isNull();
        }
        Passphrase unset = Passphrase.resolve(null, false, Map.of());
        assertThat(unset.isGiven()).isFalse();
        assertThatThrownBy(unset::forNewKey)
                .hasMessage("no passphrase: give --passphrase-file F, set "
                        + "FERRY_KEY_PASSPHRASE, or --no-passphrase for an unencrypted key");
        assertThatThrownBy(() -> Passphrase.resolve(file("x\n"), true, env)).hasMessageContaining("not both");
    }

    @Test
    void neverShowsTheSecretAndWipesItOnClose() throws Exception {
        char[] chars = "hunter2-very-secret".toCharArray();
        Passphrase p = Passphrase.of(chars, "test");
        assertThat(p.toString()).doesNotContain("hunter2");
        char[] copy = p.forNewKey();
        p.close();
        assertThat(chars).containsOnly('\0');
        assertThat(new String(copy)).isEqualTo("hunter2-very-secret");
    }

    @Test
    void missingFileIsAUsageErrorNamingIt() {
        Path absent = dir.resolve("absent");
        assertThatThrownBy(() -> Passphrase.fromFile(absent)).hasMessage(absent + ": no such passphrase file");
    }
}
