package dev.ferry.bundle.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The shared reader of {@code --json} output refuses everything but exactly one document. */
class JsonDocumentTest {
    @Test
    void oneDocumentWithSurroundingWhitespaceIsRead() {
        assertThat(JsonDocument.parse("\n {\"a\": [1, 2]}\n").path("a").get(1).asInt())
                .isEqualTo(2);
        assertThat(JsonDocument.parse("[{\"a\":1}]\n").get(0).path("a").asInt()).isEqualTo(1);
    }

    @Test
    void trailingTextSecondDocumentsAndDuplicateKeysAreRefused() {
        assertThatThrownBy(() -> JsonDocument.parse("{\"a\":1}\nwarning: token ends soon\n"))
                .isInstanceOf(AssertionError.class);
        assertThatThrownBy(() -> JsonDocument.parse("{\"a\":1}\n{\"a\":2}\n")).isInstanceOf(AssertionError.class);
        assertThatThrownBy(() -> JsonDocument.parse("{\"a\":1}}")).isInstanceOf(AssertionError.class);
        assertThatThrownBy(() -> JsonDocument.parse("progress 50%\n{\"a\":1}")).isInstanceOf(AssertionError.class);
        assertThatThrownBy(() -> JsonDocument.parse("{\"a\":1,\"a\":2}")).isInstanceOf(AssertionError.class);
    }

    @Test
    void nothingOrABareValueIsRefused() {
        assertThatThrownBy(() -> JsonDocument.parse("")).isInstanceOf(AssertionError.class);
        assertThatThrownBy(() -> JsonDocument.parse("  \n")).isInstanceOf(AssertionError.class);
        assertThatThrownBy(() -> JsonDocument.parse("42")).isInstanceOf(AssertionError.class);
    }
}
