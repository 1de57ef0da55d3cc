package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

class CommandTreeTest {
    @Command(
            name = "tool",
            mixinStandardHelpOptions = true,
            versionProvider = VersionProvider.class,
            description = "A tool with two commands.",
            subcommands = {Tool.Fetch.class, Tool.Store.class})
    static class Tool {
        @Mixin
        VerboseOption verbose;

        @Command(name = "fetch", mixinStandardHelpOptions = true, description = "Fetch a thing.")
        static class Fetch implements Callable<Integer> {
            @Option(names = "--from", paramLabel = "URL", description = "Where from.")
            String from;

            @Option(names = "--fail")
            boolean fail;

            @Override
            public Integer call() {
                if (fail) {
                    throw new IllegalStateException("boom");
                }
                return from == null ? 0 : 5;
            }
        }

        @Command(name = "store", aliases = "put", mixinStandardHelpOptions = true, description = "Store a thing.")
        static class Store implements Callable<Integer> {
            @Override
            public Integer call() {
                return 6;
            }
        }
    }

    /** What a command line prints and returns: through the tree its words need, or through the whole tree. */
    private record Outcome(int exit, String out, String err) {
        static Outcome of(boolean wholeTree, String... args) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            PrintWriter o = new PrintWriter(out, true);
            PrintWriter e = new PrintWriter(err, true);
            CommandLine cmd = wholeTree ? FerryCli.build(new Tool(), o, e) : FerryCli.build(new Tool(), args, o, e);
            return new Outcome(cmd.execute(args), out.toString(), err.toString());
        }
    }

    @Test
    void theFirstWordNamingACommandBuildsOnlyThatCommand() {
        assertThat(CommandTree.forWords(new Tool(), "fetch", "--from", "x").getSubcommands())
                .containsOnlyKeys("fetch");
        assertThat(CommandTree.forWords(new Tool(), "put").getSubcommands()).containsOnlyKeys("store", "put");
    }

    @Test
    void anythingElseBuildsEveryCommand() {
        for (String[] args : new String[][] {{}, {"--help"}, {"--verbose", "fetch"}, {"fech"}, {"-V"}}) {
            assertThat(CommandTree.forWords(new Tool(), args).getSubcommands())
                    .as(String.join(" ", args))
                    .containsOnlyKeys("fetch", "store", "put");
        }
    }

    @Test
    void aCommandBuiltAloneBehavesAsInTheWholeTree() {
        String[][] lines = {
            {"fetch", "--help"},
            {"fetch", "--from", "x"},
            {"fetch", "--from", "x", "--verbose"},
            {"fetch", "--fail"},
            {"fetch", "--fail", "--verbose"},
            {"fetch", "--nope"},
            {"fetch", "--nope", "--json"},
            {"fetch", "extra"},
            {"fetch", "--version"},
            {"store"},
            {"put", "--help"},
        };
        for (String[] args : lines) {
            Outcome alone = Outcome.of(false, args);
            Outcome whole = Outcome.of(true, args);
            assertThat(alone.exit()).as(String.join(" ", args)).isEqualTo(whole.exit());
            assertThat(alone.out()).as(String.join(" ", args)).isEqualTo(whole.out());
            assertThat(firstLine(alone.err())).as(String.join(" ", args)).isEqualTo(firstLine(whole.err()));
        }
        assertThat(Outcome.of(false, "fetch", "--help").out())
                .contains("Usage: tool fetch", "--from=URL", "--verbose", "Exit codes:");
        assertThat(Outcome.of(false, "fetch", "--fail", "--verbose").err()).contains("\tat ");
        assertThat(Outcome.of(false, "fetch", "--from", "x").exit()).isEqualTo(5);
    }

    private static String firstLine(String text) {
        return text.lines().findFirst().orElse("");
    }
}
