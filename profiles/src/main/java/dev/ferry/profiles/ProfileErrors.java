package dev.ferry.profiles;

import dev.ferry.common.ExitCode;
import dev.ferry.common.FerryException;
import dev.ferry.common.Sanitizer;

/** The one error format of a profile: {@code FILE:LINE: FIELD: what is wrong}, exit code 2. */
final class ProfileErrors {
    private static final int MAX_MESSAGE = 1000;

    private ProfileErrors() {}

    static FerryException at(Origin origin, String field, String problem) {
        // The message quotes the profile's own values: made printable here, where every profile error passes.
        return new FerryException(
                ExitCode.USAGE, Sanitizer.printable(origin + ": " + field + ": " + oneLine(problem), MAX_MESSAGE));
    }

    static FerryException at(Node node, String field, String problem) {
        return at(node.origin(), field, problem);
    }

    /** A whole-file problem (not found, unreadable): there is no line or field to name. */
    static FerryException file(String problem, Throwable cause) {
        return new FerryException(ExitCode.USAGE, Sanitizer.printable(oneLine(problem), MAX_MESSAGE), cause);
    }

    static String oneLine(String text) {
        return text.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
    }
}
