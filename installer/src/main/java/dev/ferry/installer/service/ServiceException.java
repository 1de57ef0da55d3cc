package dev.ferry.installer.service;

import dev.ferry.common.ExitCode;
import dev.ferry.common.FerryException;
import java.util.List;

/**
 * A service manager could not do what it was asked (a systemctl or sc.exe command failed, the agent died at
 * start). It carries {@link ExitCode#INTERNAL}: the service layer cannot know whether it is inside a transaction;
 * the install transaction catches it, rolls back and exits 7 (ROLLED_BACK), a plain {@code status} or
 * {@code uninstall} lets it through.
 */
public class ServiceException extends FerryException {
    private static final long serialVersionUID = 1L;

    public ServiceException(String message) {
        super(ExitCode.INTERNAL, message);
    }

    public ServiceException(String message, Throwable cause) {
        super(ExitCode.INTERNAL, message, cause);
    }

    /** "`systemctl enable ferry` failed (exit 1): Unit file ferry.service does not exist." */
    static ServiceException commandFailed(List<String> command, CommandResult result) {
        String detail = result.firstErrorLine();
        String exit = result.exitCode() == CommandResult.TIMED_OUT ? "timed out" : "exit " + result.exitCode();
        return new ServiceException(
                "`" + String.join(" ", command) + "` failed (" + exit + ")" + (detail.isEmpty() ? "" : ": " + detail));
    }
}
