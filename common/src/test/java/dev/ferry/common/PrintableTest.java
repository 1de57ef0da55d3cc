package dev.ferry.common;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PrintableTest {
    @Test
    void terminalControlSequencesAreEscapedAndPlainTextOfAnyScriptPasses() {
        assertThat(Printable.text("\u001b[2J\u001b[H all checks passed\r\n")).isEqualTo("\\u001b[2J\\u001b[H all checks passed\\u000d\\u000a");
        assertThat(Printable.text("a\u009b31mb\u007f")).isEqualTo("a\\u009b31mb\\u007f");
        // Bidirectional override and zero-width characters hide or reverse what is shown.
        assertThat(Printable.text("evil\u202Etxt.exe\u200B")).isEqualTo("evil\\u202etxt.exe\\u200b");
        assertThat(Printable.text("x\u2028y")).isEqualTo("x\\u2028y");
        assertThat(Printable.text("lone \ud800 surrogate")).isEqualTo("lone \\ud800 surrogate");
        assertThat(Printable.text("Grüße, Привет, 你好, 🚀")).isEqualTo("Grüße, Привет, 你好, 🚀");
        assertThat(Printable.isPrintable("plain")).isTrue();
        assertThat(Printable.isPrintable("bell\u0007")).isFalse();
    }

    @Test
    void longValuesAreCutAndQuotedValuesStayOnOneLine() {
        assertThat(Printable.text("x".repeat(500))).hasSize(Printable.MAX + 3).endsWith("...");
        assertThat(Printable.text("ab\ncd", 3)).isEqualTo("ab\\u000a...");
        assertThat(Printable.quote("it's\n")).isEqualTo("'it's\\u000a'");
        assertThat(Printable.quote(null)).isEqualTo("null");
    }
}
