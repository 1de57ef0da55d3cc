package dev.ferry.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ReasonTest {
    @Test
    void aReasonCarriesItsUsualExitCode() {
        FerryException e = Reason.HASH_MISMATCH.failure("b.tar.zst: payload/x: SHA-256 does not match");
        assertThat(e.exitCode()).isEqualTo(ExitCode.VERIFICATION);
        assertThat(e.reason().code()).isEqualTo("hash-mismatch");
        assertThat(Reason.TOKEN_EXPIRED.exit().code()).isEqualTo(6);
    }

    @Test
    void failuresThatNameOnlyAnExitCodeGetItsGenericReason() {
        assertThat(FerryException.usage("bad flag").reason()).isEqualTo(Reason.USAGE);
        assertThat(FerryException.verification("bad").reason().code()).isEqualTo("verification-failed");
        assertThat(new FerryException(ExitCode.LOCKED, "busy").reason()).isEqualTo(Reason.LOCKED);
        for (ExitCode code : ExitCode.values()) {
            assertThat(Reason.generic(code)).isNotNull();
        }
    }

    @Test
    void anyModuleAddsAReasonAndEqualCodesAreEqualReasons() {
        Reason mine = Reason.of("threshold-not-met", ExitCode.VERIFICATION);
        assertThat(mine).isEqualTo(Reason.of("threshold-not-met", ExitCode.VERIFICATION));
        assertThat(mine.toString()).isEqualTo("threshold-not-met");
    }

    @Test
    void codesAreLowercaseWordsJoinedByDashes() {
        assertThatThrownBy(() -> Reason.of("Hash Mismatch", ExitCode.VERIFICATION))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Reason.of("hash-", ExitCode.VERIFICATION))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
