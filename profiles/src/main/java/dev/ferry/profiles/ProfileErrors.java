package dev.ferry.profiles;

import dev.ferry.common.ExitCode;
import dev.ferry.common.FerryException;

/** The one error format of a profile: {@code FILE:LINE: FIELD: what is wrong}, exit code 2. */
final class ProfileErrors {
    private ProfileErrors() {}

    static FerryException at(Origin origin, String field, String problem) {
        return new FerryException(ExitCode.USAGE, origin + ": " + field + ": " + oneLine(problem));
    }

    static FerryException at(Node node, String field, String problem) {
        return at(node.origin(), field, problem);
    }

    /** A whole-file problem (not found, unreadable): there is no line or field to name. */
    static FerryException file(String problem, Throwable cause) {
        return new FerryException(ExitCode.USAGE, oneLine(problem), cause);
    }

    static String oneLine(String text) {
        return text.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
    }
}
