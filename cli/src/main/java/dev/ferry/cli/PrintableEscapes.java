package dev.ferry.cli;

import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import dev.ferry.common.Sanitizer;

/**
 * JSON escapes for {@code --json} documents: besides the C0 controls JSON itself escapes, the characters the
 * {@link Sanitizer} escapes in text (DEL, C1 controls, bidirectional and zero-width format characters, line and
 * paragraph separators) are written as {@code \}{@code uXXXX}. The value read back is unchanged; a document that a
 * script prints raw or a person reads in a pager cannot drive the terminal or reorder what is shown.
 */
final class PrintableEscapes extends CharacterEscapes {
    private static final long serialVersionUID = 1L;
    private final int[] ascii = standardAsciiEscapesForJSON();

    PrintableEscapes() {
        ascii[0x7f] = ESCAPE_STANDARD;
    }

    @Override
    public int[] getEscapeCodesForAscii() {
        return ascii;
    }

    @Override
    public SerializableString getEscapeSequence(int ch) {
        return Sanitizer.unsafe(ch) ? new SerializedString(String.format("\\u%04x", ch)) : null;
    }
}
