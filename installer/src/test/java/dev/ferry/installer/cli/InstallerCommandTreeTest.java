package dev.ferry.installer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.cli.FerryCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code installer COMMAND ...} builds only that command's model at start (dev.ferry.cli.CommandTree): its help and
 * its usage errors stay exactly what the whole tree gives.
 */
class InstallerCommandTreeTest {
    private static String outcome(boolean wholeTree, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        PrintWriter o = new PrintWriter(out, true);
        PrintWriter e = new PrintWriter(err, true);
        CommandLine cmd =
                wholeTree ? FerryCli.build(new InstallerMain(), o, e) : FerryCli.build(new InstallerMain(), args, o, e);
        int exit = cmd.execute(args);
        return "exit " + exit + "\n" + out + "\n" + err;
    }

    @Test
    void everyCommandsHelpAndUsageErrorsAreThoseOfTheWholeTree() {
        List<String> names = List.copyOf(FerryCli.build(
                        new InstallerMain(), new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()))
                .getSubcommands()
                .keySet());
        assertThat(names).contains("status", "install", "verify", "trust");
        for (String name : names) {
            for (String[] args :
                    new String[][] {{name, "--help"}, {name, "--no-such-flag"}, {name, "--no-such-flag", "--json"}}) {
                assertThat(outcome(false, args)).as(String.join(" ", args)).isEqualTo(outcome(true, args));
            }
        }
        for (String sub : List.of("init", "update", "show")) {
            assertThat(outcome(false, "trust", sub, "--help")).isEqualTo(outcome(true, "trust", sub, "--help"));
        }
        assertThat(outcome(false, "status", "--help")).contains("Usage: installer status", "--root=DIR", "--verbose");
    }
}
