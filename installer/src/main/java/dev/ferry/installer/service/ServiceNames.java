package dev.ferry.installer.service;

import dev.ferry.common.FerryException;
import java.util.regex.Pattern;

/** {@code service.name} becomes a unit name, an SCM key and a file name: letters, digits and {@code _.@-} only. */
final class ServiceNames {
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.@-]{0,127}");

    private ServiceNames() {}

    static String check(String name) {
        if (name == null || !VALID.matcher(name).matches()) {
            throw FerryException.usage("service.name '" + name
                    + "' is not a valid service name: use letters, digits, '_', '.', '@' and '-' (at most 128)");
        }
        return name;
    }
}
