package dev.ferry.common;

/**
 * The one exception type of Ferry's core. It carries the SPEC exit code and a message written for the technician
 * who reads it: one line, naming the file (and for a profile the line and field), never a secret.
 * The command-line layer prints the message and exits with the code; the stack trace only goes out with --verbose.
 */
public class FerryException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final ExitCode exitCode;

    public FerryException(ExitCode exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public FerryException(ExitCode exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public ExitCode exitCode() {
        return exitCode;
    }

    public static FerryException usage(String message) {
        return new FerryException(ExitCode.USAGE, message);
    }

    public static FerryException verification(String message) {
        return new FerryException(ExitCode.VERIFICATION, message);
    }

    public static FerryException validity(String message) {
        return new FerryException(ExitCode.VALIDITY, message);
    }
}
