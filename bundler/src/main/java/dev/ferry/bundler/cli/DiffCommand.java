package dev.ferry.bundler.cli;

import dev.ferry.bundler.diff.BundleDiff;
import dev.ferry.bundler.diff.DiffReport;
import dev.ferry.cli.Json;
import dev.ferry.common.Sanitizer;
import dev.ferry.keys.TrustedKeys;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code bundler diff OLD NEW [--json] [--trust PUB ...]}: files added, removed and changed (with sizes),
 * components whose version changed, profile fields that changed, and both bundles' signers and sequences.
 */
@Command(
        name = "diff",
        mixinStandardHelpOptions = true,
        description = "What changed between two bundles: files, component versions (from their SBOMs), profile fields,"
                + " signers and sequences. Extracts nothing.")
public final class DiffCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "OLD", description = "The bundle hosts run now.")
    Path oldBundle;

    @Parameters(index = "1", paramLabel = "NEW", description = "The bundle to bring in.")
    Path newBundle;

    @Option(
            names = "--json",
            description = "Print one JSON document on stdout and nothing else: the complete change list.")
    boolean json;

    @Option(
            names = "--trust",
            paramLabel = "PUB",
            description = "A trusted public key (PEM); repeatable. Says which signers are trusted.")
    List<Path> trust = new ArrayList<>();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        TrustedKeys trusted = trust.isEmpty() ? null : TrustedKeys.load(trust, List.of());
        DiffReport report = BundleDiff.compare(oldBundle, newBundle, trusted);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            Json.print(out, report);
        } else {
            printHuman(out, report);
        }
        return 0;
    }

    private static void printHuman(PrintWriter out, DiffReport r) {
        line(
                out,
                "%s %s (sequence %d, %s)  ->  %s %s (sequence %d, %s)%n",
                r.old().name(),
                r.old().version(),
                r.old().sequence(),
                r.old().createdAt(),
                r.current().name(),
                r.current().version(),
                r.current().sequence(),
                r.current().createdAt());
        line(out, "signers    old: %s%n", signers(r.old()));
        line(out, "           new: %s%n", signers(r.current()));
        DiffReport.Files files = r.files();
        line(
                out,
                "files      %d added, %d removed, %d changed%n",
                files.added().size(),
                files.removed().size(),
                files.changed().size());
        for (DiffReport.FileChange f : files.added()) {
            line(out, "  + %s  (%s)%n", f.path(), size(f.newSize()));
        }
        for (DiffReport.FileChange f : files.removed()) {
            line(out, "  - %s  (%s)%n", f.path(), size(f.oldSize()));
        }
        for (DiffReport.FileChange f : files.changed()) {
            String mode = f.oldMode() == null ? "" : ", mode " + f.oldMode() + " -> " + f.newMode();
            line(
                    out,
                    "  ~ %s  (%s -> %s%s)%n",
                    f.path(),
                    InspectCommand.humanSize(f.oldSize()),
                    InspectCommand.humanSize(f.newSize()),
                    mode);
        }
        line(out, "components %d changed%n", r.components().size());
        for (DiffReport.ComponentChange c : r.components()) {
            String sign = c.oldVersion() == null ? "+" : c.newVersion() == null ? "-" : "~";
            line(
                    out,
                    "  %s %s  %s -> %s%n",
                    sign,
                    c.id(),
                    c.oldVersion() == null ? "(none)" : c.oldVersion(),
                    c.newVersion() == null ? "(none)" : c.newVersion());
        }
        line(out, "profile    %d fields changed%n", r.profile().size());
        for (DiffReport.ProfileChange p : r.profile()) {
            line(
                    out,
                    "  ~ %s: %s -> %s%n",
                    p.field(),
                    p.oldValue() == null ? "(unset)" : p.oldValue(),
                    p.newValue() == null ? "(unset)" : p.newValue());
        }
        r.notes().forEach(n -> line(out, "note: %s%n", n));
        out.flush();
    }

    /**
     * One line of the change note. Paths, component names (from the jars' own pom.properties) and profile values come
     * from the bundles: each is made printable, so neither bundle can drive the terminal of the board reading it.
     */
    private static void line(PrintWriter out, String format, Object... args) {
        Object[] printable = new Object[args.length];
        for (int i = 0; i < args.length; i++) {
            printable[i] = args[i] instanceof String text ? Sanitizer.printable(text, Integer.MAX_VALUE) : args[i];
        }
        out.printf(format, printable);
    }

    /** A file's size; a secret's is not published (null). */
    private static String size(Long bytes) {
        return bytes == null ? "secret" : InspectCommand.humanSize(bytes);
    }

    private static String signers(DiffReport.Side side) {
        return side.signers().isEmpty()
                ? "none"
                : side.signers().stream()
                        .map(s -> s.keyId() + " (" + s.status() + ")")
                        .collect(Collectors.joining(", "));
    }
}
