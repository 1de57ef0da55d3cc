package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
    private static final String HOSTILE = "a\u001b[2J\u007f\u009b31m\u202eevil\u200bb\u2028c \u00e9\u4e2d \ud83d\ude00";

    @Test
    void aDocumentPrintedRawHoldsNoCharacterThatDrivesATerminalAndReadsBackTheSame() throws Exception {
        StringWriter out = new StringWriter();
        Json.print(new PrintWriter(out), Map.of("value", HOSTILE));
        String text = out.toString();

        assertThat(text.codePoints()
                        .filter(c -> c != '\n')
                        .allMatch(c -> c >= 0x20 && c < 0x7f
                                || c >= 0xa0 && Character.getType(c) != Character.FORMAT && c != 0x2028))
                .as(text)
                .isTrue();
        assertThat(text)
                .contains("\\u001B[2J", "\\u007F", "\\u009b31m", "\\u202eevil", "\\u200bb", "\\u2028c", "\u00e9\u4e2d");
        assertThat(Json.MAPPER.readTree(text).get("value").asText()).isEqualTo(HOSTILE);
    }
}
