package dev.ferry.common;

/**
 * The one exception type of Ferry's core. It carries the SPEC exit code, a stable {@link Reason} and a message written
 * for the technician who reads it: one line, naming the file (and for a profile the line and field), never a secret.
 * The command-line layer prints the message (with {@code --json}: exit, reason and message as one document) and exits
 * with the code; the stack trace only goes out with --verbose.
 */
public class FerryException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final ExitCode exitCode;
    private final Reason reason;

    /** A failure for {@code reason}, with the reason's usual exit code. */
    public FerryException(Reason reason, String message) {
        this(reason.exit(), reason, message, null);
    }

    public FerryException(ExitCode exitCode, Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
        this.reason = reason;
    }

    /** A failure that names only its exit code: its reason is the exit code's generic one. */
    public FerryException(ExitCode exitCode, String message) {
        this(exitCode, Reason.generic(exitCode), message, null);
    }

    public FerryException(ExitCode exitCode, String message, Throwable cause) {
        this(exitCode, Reason.generic(exitCode), message, cause);
    }

    public ExitCode exitCode() {
        return exitCode;
    }

    public Reason reason() {
        return reason;
    }

    public static FerryException usage(String message) {
        return new FerryException(Reason.USAGE, message);
    }

    public static FerryException verification(String message) {
        return new FerryException(Reason.VERIFICATION_FAILED, message);
    }

    public static FerryException validity(String message) {
        return new FerryException(Reason.OUTSIDE_WINDOW, message);
    }
}
