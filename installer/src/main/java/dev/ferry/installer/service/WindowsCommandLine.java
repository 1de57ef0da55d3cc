package dev.ferry.installer.service;

import dev.ferry.installer.host.OperatingSystem;
import java.util.ArrayList;
import java.util.List;

/**
 * Windows has no argv: a program gets one command-line string and splits it itself (CommandLineToArgvW, the C
 * runtime). This quotes arguments so that split gives them back unchanged: spaces need double quotes, a quote
 * inside needs a backslash, and backslashes only count right before a quote (so {@code C:\dir\} must end as
 * {@code "C:\dir\\"}).
 */
public final class WindowsCommandLine {
    private WindowsCommandLine() {}

    /** The command line that runs {@code argv}, e.g. the {@code binPath} of a service. */
    public static String join(List<String> argv) {
        List<String> quoted = new ArrayList<>(argv.size());
        for (String arg : argv) {
            quoted.add(quote(arg));
        }
        return String.join(" ", quoted);
    }

    public static String quote(String arg) {
        if (!arg.isEmpty() && arg.chars().noneMatch(c -> c == ' ' || c == '\t' || c == '\n' || c == 0x0b || c == '"')) {
            return arg;
        }
        StringBuilder out = new StringBuilder(arg.length() + 2).append('"');
        int backslashes = 0;
        for (int i = 0; i < arg.length(); i++) {
            char c = arg.charAt(i);
            if (c == '\\') {
                backslashes++;
                continue;
            }
            // Backslashes before a quote are doubled and the quote escaped; elsewhere they are literal.
            out.append("\\".repeat(c == '"' ? backslashes * 2 + 1 : backslashes))
                    .append(c);
            backslashes = 0;
        }
        return out.append("\\".repeat(backslashes * 2)).append('"').toString();
    }

    /**
     * On Windows, quotes every argument but the program for {@link ProcessBuilder}: the JDK passes an argument that
     * already starts and ends with a quote through as it is, but would wrap one with inner quotes wrongly itself.
     * Elsewhere argv is passed as it is.
     */
    static List<String> forProcessBuilder(List<String> command) {
        if (!OperatingSystem.current().isWindows()) {
            return command;
        }
        List<String> quoted = new ArrayList<>(command.size());
        quoted.add(command.get(0));
        for (String arg : command.subList(1, command.size())) {
            quoted.add(quote(arg));
        }
        return quoted;
    }
}
