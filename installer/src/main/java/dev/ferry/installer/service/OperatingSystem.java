package dev.ferry.installer.service;

import java.util.Locale;

/** Which family the JVM runs on, from {@code os.name}. */
final class OperatingSystem {
    private OperatingSystem() {}

    static boolean isWindows() {
        return isWindows(System.getProperty("os.name", ""));
    }

    static boolean isWindows(String osName) {
        return osName.toLowerCase(Locale.ROOT).startsWith("windows");
    }

    static boolean isLinux() {
        return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux");
    }
}
