package dev.ferry.cli;

import dev.ferry.common.ExitCode;
import dev.ferry.common.FerryException;
import dev.ferry.common.Reason;
import dev.ferry.common.Sanitizer;
import dev.ferry.common.files.FileFailure;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Help.Ansi;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Runs a picocli command tree the way both programs must behave: one exit-code mapping, one line per error on
 * stderr, a stack trace only with {@code --verbose}, colour only on a terminal and never with NO_COLOR, and the exit
 * codes listed in every {@code --help}. {@code main} methods call {@link #run} and then {@code System.exit}; nothing
 * else in Ferry exits.
 */
public final class FerryCli {
    private FerryCli() {}

    /**
     * Runs {@code program}'s command line: {@code rootCommand}'s tree for these words. {@code program} is the root
     * command's name, so that {@code --version} alone is answered before any annotation is read.
     */
    public static int run(String program, Object rootCommand, String... args) {
        String quick = quickVersion(program, args);
        if (quick != null) {
            System.out.println(quick);
            return ExitCode.OK.code();
        }
        // picocli looks for Groovy's Closure class when it first builds a model, which opens every jar on the class
        // path to find it absent. Ferry has no Groovy.
        System.setProperty("picocli.disable.closures", "true");
        return build(rootCommand, args, new PrintWriter(System.out, true), new PrintWriter(System.err, true))
                .execute(args);
    }

    /**
     * {@code PROGRAM --version} answered without building the command model, or reading an annotation (each
     * annotation type read costs a generated proxy class), which is most of what a version check would cost. Null
     * for anything else.
     */
    static String quickVersion(String program, String... args) {
        if (args.length != 1 || !(args[0].equals("--version") || args[0].equals("-V"))) {
            return null;
        }
        return VersionProvider.line(program);
    }

    /** The configured command line with every subcommand, for tests that want to capture its output. */
    public static CommandLine build(Object rootCommand, PrintWriter out, PrintWriter err) {
        return configure(new CommandLine(rootCommand), out, err);
    }

    /** The configured command line for these words ({@link CommandTree#forWords}), as {@link #run} builds it. */
    public static CommandLine build(Object rootCommand, String[] args, PrintWriter out, PrintWriter err) {
        return configure(CommandTree.forWords(rootCommand, args), out, err);
    }

    /** Output, colour, handlers and the exit codes in every --help; set on a tree whose subcommands are all added. */
    private static CommandLine configure(CommandLine cmd, PrintWriter out, PrintWriter err) {
        Ansi ansi = Terminal.colour() ? Ansi.ON : Ansi.OFF;
        cmd.setColorScheme(CommandLine.Help.defaultColorScheme(ansi));
        cmd.setOut(out);
        cmd.setErr(err);
        cmd.setCaseInsensitiveEnumValuesAllowed(true);
        addExitCodeHelp(cmd);
        cmd.setParameterExceptionHandler(new OnBadUsage());
        cmd.setExecutionExceptionHandler(new OnFailure());
        return cmd;
    }

    private static void addExitCodeHelp(CommandLine cmd) {
        Map<String, String> codes = new LinkedHashMap<>();
        for (ExitCode code : ExitCode.values()) {
            codes.put(String.valueOf(code.code()), code.meaning());
        }
        cmd.getCommandSpec()
                .usageMessage()
                .exitCodeListHeading("%nExit codes:%n")
                .exitCodeList(codes);
        cmd.getSubcommands().values().forEach(FerryCli::addExitCodeHelp);
    }

    /*
     * The handlers are classes, not method references: a lambda of picocli's (Java 5) handler interfaces makes the
     * JVM link them while it dumps the class-data archive, which then leaves them and their picocli users out of it.
     */
    private static final class OnBadUsage implements IParameterExceptionHandler {
        @Override
        public int handleParseException(CommandLine.ParameterException ex, String[] args) {
            return onBadUsage(ex, args);
        }
    }

    private static final class OnFailure implements IExecutionExceptionHandler {
        @Override
        public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parsed) {
            return onFailure(ex, cmd, parsed);
        }
    }

    private static int onBadUsage(CommandLine.ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        PrintWriter err = cmd.getErr();
        // picocli echoes the word it could not parse, which may carry anything a script was given.
        String message = printable(ex.getMessage());
        err.println(cmd.getCommandName() + ": " + message);
        err.println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for usage.");
        // The command line did not parse, so only the raw words can tell that a script asked for JSON.
        if (Arrays.asList(args).contains("--json")) {
            printError(cmd.getOut(), ExitCode.USAGE, Reason.USAGE, message);
        }
        return ExitCode.USAGE.code();
    }

    private static int onFailure(Exception ex, CommandLine cmd, ParseResult parsed) {
        PrintWriter err = cmd.getErr();
        boolean verbose = matched(parsed, "--verbose");
        ExitCode code;
        Reason reason;
        String message;
        if (ex instanceof FerryException fe) {
            code = fe.exitCode();
            reason = fe.reason();
            message = fe.getMessage();
        } else if (hostFileFailure(ex) != null) {
            // The host refused a read or write (full, read-only, permissions): not a bug, and the message names the
            // path and the cause. Exit 4: the host is not fit for the command as it stands.
            code = ExitCode.PREFLIGHT;
            reason = Reason.IO_ERROR;
            message = hostFileFailure(ex);
        } else {
            code = ExitCode.INTERNAL;
            reason = Reason.INTERNAL;
            message =
                    "internal error: " + ex + (verbose ? "" : " (run again with --verbose for details, and report it)");
        }
        // The last line of defence for text from outside that a message quoted without the sanitiser: an error is
        // one line, and nothing in it can drive the terminal.
        message = printable(message);
        err.println(Terminal.error(cmd.getCommandSpec().root().name() + ": " + message));
        if (verbose) {
            ex.printStackTrace(err);
        }
        err.flush();
        if (matched(parsed, "--json")) {
            printError(cmd.getOut(), code, reason, message);
        }
        return code.code();
    }

    private static String printable(String message) {
        return Sanitizer.printable(message, Integer.MAX_VALUE);
    }

    /** The one {@code --json} document of a failed command: {@code {"error": {"exit": N, "reason": "...", "message": "..."}}}. */
    private static void printError(PrintWriter out, ExitCode code, Reason reason, String message) {
        Json.print(out, Map.of("error", ErrorDocument.of(code, reason, message)));
    }

    /**
     * One line for an I/O failure among the causes: a {@link FileFailure}'s own line, or what was being done and the
     * system's reason with the path ("uninstall of bot failed: permission denied (/opt/ferry/bot/current)"); null
     * when no I/O failure caused {@code ex}.
     */
    static String hostFileFailure(Throwable ex) {
        for (Throwable t = ex; t != null; t = t.getCause()) {
            if (t instanceof FileFailure failure) {
                return failure.getMessage();
            }
        }
        for (Throwable t = ex; t != null; t = t.getCause()) {
            if (t instanceof IOException io) {
                String doing = ex instanceof UncheckedIOException
                                && ex.getMessage() != null
                                && !ex.getMessage().equals(String.valueOf(io))
                        ? ex.getMessage() + ": "
                        : "";
                return doing + FileFailure.reason(io);
            }
        }
        return null;
    }

    private static boolean matched(ParseResult parsed, String option) {
        for (ParseResult p = parsed; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption(option)) {
                return true;
            }
        }
        return false;
    }
}
