package dev.ferry.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ExitCodeTest {
    @Test
    void codesAreTheOnesTheSpecPublishes() {
        assertThat(Arrays.stream(ExitCode.values()).mapToInt(ExitCode::code))
                .containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8);
    }

    @Test
    void exceptionCarriesItsExitCode() {
        assertThat(FerryException.verification("bad").exitCode()).isEqualTo(ExitCode.VERIFICATION);
        assertThat(FerryException.usage("bad").exitCode().code()).isEqualTo(2);
    }
}
