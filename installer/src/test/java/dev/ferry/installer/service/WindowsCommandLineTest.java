package dev.ferry.installer.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WindowsCommandLineTest {
    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '\'',
            value = {
                "plain                    | plain",
                "C:\\Program Files\\a.exe | \"C:\\Program Files\\a.exe\"",
                "C:\\my dir\\             | \"C:\\my dir\\\\\"",
                "a\"b                     | \"a\\\"b\"",
                "a\\\\\"b                 | \"a\\\\\\\\\\\"b\"",
                "''                       | \"\"",
                "C:\\no\\spaces\\         | C:\\no\\spaces\\",
            })
    void quotesOnlyWhatNeedsItAndEscapesQuotesAndTheBackslashesBeforeThem(String arg, String quoted) {
        assertThat(WindowsCommandLine.quote(arg)).isEqualTo(quoted);
    }

    /** Microsoft's documented examples ("Parsing C++ command-line arguments") check the test's own parser. */
    @Test
    void theReferenceParserFollowsMicrosoftsExamples() {
        assertThat(parse("\"a b c\" d e")).containsExactly("a b c", "d", "e");
        assertThat(parse("\"ab\\\"c\" \"\\\\\" d")).containsExactly("ab\"c", "\\", "d");
        assertThat(parse("a\\\\\\b d\"e f\"g h")).containsExactly("a\\\\\\b", "de fg", "h");
        assertThat(parse("a\\\\\\\"b c d")).containsExactly("a\\\"b", "c", "d");
        assertThat(parse("a\\\\\\\\\"b c\" d e")).containsExactly("a\\\\b c", "d", "e");
    }

    @Test
    void whatIsJoinedIsSplitBackIntoTheSameArguments() {
        List<String> argv = List.of(
                "C:\\Program Files\\Ferry\\agent.exe",
                "",
                "x",
                "two words",
                "trailing\\",
                "dir with space\\",
                "\"quoted\"",
                "back\\\\\"slash",
                "tab\there",
                "%PATH%");

        assertThat(parse(WindowsCommandLine.join(argv))).containsExactlyElementsOf(argv);
    }

    /** The C runtime's rules, as documented by Microsoft (post-2008 behaviour for "" inside quotes not needed). */
    private static List<String> parse(String line) {
        List<String> args = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean inQuotes = false;
        boolean inArg = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\\') {
                int n = 0;
                while (i < line.length() && line.charAt(i) == '\\') {
                    n++;
                    i++;
                }
                if (i < line.length() && line.charAt(i) == '"') {
                    current.append("\\".repeat(n / 2));
                    if (n % 2 == 1) {
                        current.append('"');
                    } else {
                        inQuotes = !inQuotes;
                    }
                } else {
                    current.append("\\".repeat(n));
                    i--;
                }
                inArg = true;
            } else if (c == '"') {
                inQuotes = !inQuotes;
                inArg = true;
            } else if ((c == ' ' || c == '\t') && !inQuotes) {
                if (inArg) {
                    args.add(current.toString());
                    current.setLength(0);
                    inArg = false;
                }
            } else {
                current.append(c);
                inArg = true;
            }
        }
        if (inArg) {
            args.add(current.toString());
        }
        return args;
    }
}
