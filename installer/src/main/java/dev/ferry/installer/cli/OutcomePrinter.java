package dev.ferry.installer.cli;

import dev.ferry.cli.Json;
import dev.ferry.cli.Terminal;
import dev.ferry.installer.transaction.Outcome;
import java.io.PrintWriter;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Prints a transaction's outcome: with {@code --json} the outcome document alone on stdout and the human text on
 * stderr; without, the tables and the result line on stdout. Recovery notes always go to stderr as well.
 */
final class OutcomePrinter {
    private OutcomePrinter() {}

    static int print(CommandSpec spec, Outcome outcome, boolean json) {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter human = json ? err : out;
        if (outcome.notes() != null) {
            outcome.notes().forEach(n -> err.println(Terminal.warn("note: " + n)));
        }
        if (outcome.preflight() != null && (!json || !outcome.preflight().passed())) {
            CheckTable.print(human, "preflight", outcome.preflight());
        }
        if (outcome.selftest() != null) {
            CheckTable.print(human, "self-tests", outcome.selftest());
        }
        String line = spec.root().name() + " " + outcome.action() + ": " + outcome.message();
        human.println(outcome.exit().code() == 0 ? Terminal.ok(line) : Terminal.error(line));
        human.flush();
        if (json) {
            Json.print(out, outcome);
        }
        err.flush();
        return outcome.exit().code();
    }
}
