package dev.ferry.common;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SanitizerTest {
    @Test
    void terminalControlSequencesAreEscapedAndPlainTextOfAnyScriptPasses() {
        assertThat(Sanitizer.printable("\u001b[2J\u001b[H all checks passed\r\n"))
                .isEqualTo("\\u001b[2J\\u001b[H all checks passed\\u000d\\u000a");
        assertThat(Sanitizer.printable("a\u009b31mb\u007f")).isEqualTo("a\\u009b31mb\\u007f");
        // Bidirectional override and zero-width characters hide or reverse what is shown.
        assertThat(Sanitizer.printable("evil\u202Etxt.exe\u200B")).isEqualTo("evil\\u202etxt.exe\\u200b");
        assertThat(Sanitizer.printable("x\u2028y")).isEqualTo("x\\u2028y");
        assertThat(Sanitizer.printable("lone \ud800 surrogate")).isEqualTo("lone \\ud800 surrogate");
        assertThat(Sanitizer.printable("Grüße, Привет, 你好, 🚀")).isEqualTo("Grüße, Привет, 你好, 🚀");
        assertThat(Sanitizer.isPrintable("plain")).isTrue();
        assertThat(Sanitizer.isPrintable("bell\u0007")).isFalse();
    }

    @Test
    void longValuesAreCutAndQuotedValuesStayOnOneLine() {
        assertThat(Sanitizer.printable("x".repeat(500)))
                .hasSize(Sanitizer.MAX + 3)
                .endsWith("...");
        assertThat(Sanitizer.printable("ab\ncd", 3)).isEqualTo("ab\\u000a...");
        assertThat(Sanitizer.quote("it's\n")).isEqualTo("'it's\\u000a'");
        assertThat(Sanitizer.quote(null)).isEqualTo("null");
    }
}
