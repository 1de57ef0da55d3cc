package dev.ferry.installer.service;

/**
 * What a command did. {@link #NOT_FOUND} (127, as a shell reports it) when the program could not be started,
 * {@link #TIMED_OUT} (-1) when it was killed after its timeout.
 */
public record CommandResult(int exitCode, String stdout, String stderr) {
    public static final int NOT_FOUND = 127;
    public static final int TIMED_OUT = -1;

    public boolean ok() {
        return exitCode == 0;
    }

    /** The first non-blank line of stderr (else of stdout), for a one-line error message; empty when both are. */
    public String firstErrorLine() {
        String line = firstLine(stderr);
        return line.isEmpty() ? firstLine(stdout) : line;
    }

    private static String firstLine(String text) {
        return text == null
                ? ""
                : text.lines()
                        .map(String::strip)
                        .filter(l -> !l.isEmpty())
                        .findFirst()
                        .orElse("");
    }
}
