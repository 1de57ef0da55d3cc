package dev.ferry.installer.check;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** The outcome of one preflight check or self-test (SPEC section 6). */
public enum Result {
    PASS,
    WARN,
    FAIL,
    SKIP;

    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
