package dev.ferry.installer.check;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Issue 19 item 8: a hostile proxy answer or token id quoted as evidence cannot drive the technician's terminal. */
class CheckEvidenceTest {
    @Test
    void escapeSequencesFromAProxyAnswerOrATokenIdAreMadePrintable() {
        Check proxy = Check.fail(
                "proxy",
                Cause.PROXY_AUTH_REQUIRED,
                "proxy answered 'HTTP/1.1 407 \u001b[2J\u001b[H\u001b[32mall checks passed\u001b[0m'",
                "check\r\nthe account",
                5);
        Check token = Check.pass("token", "token tok-1\u009b2J\u202e valid", 1);

        assertThat(proxy.evidence()).doesNotContain("\u001b").contains("\\u001b[2J");
        assertThat(proxy.remedy()).isEqualTo("check\\u000d\\u000athe account");
        assertThat(token.evidence()).isEqualTo("token tok-1\\u009b2J\\u202e valid");
        assertThat(proxy.ignored().evidence())
                .contains("(ignored by --ignore-preflight)")
                .doesNotContain("\u001b");
    }
}
