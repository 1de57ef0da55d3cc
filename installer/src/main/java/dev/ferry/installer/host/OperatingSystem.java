package dev.ferry.installer.host;

import java.util.Locale;

/**
 * The operating system the installer runs on: the one place that reads {@code os.name}, {@code os.version} and
 * {@code os.arch}. A record, so tests can describe another host ({@link #named}).
 */
public record OperatingSystem(String name, String version, String arch) {
    private static final OperatingSystem CURRENT = new OperatingSystem(
            System.getProperty("os.name", "unknown"),
            System.getProperty("os.version", "unknown"),
            System.getProperty("os.arch", "unknown"));

    public static OperatingSystem current() {
        return CURRENT;
    }

    /** A host known only by its {@code os.name}, such as {@code "Windows Server 2022"}. */
    public static OperatingSystem named(String name) {
        return new OperatingSystem(name, "unknown", "unknown");
    }

    public boolean isWindows() {
        return family().equals("windows");
    }

    public boolean isLinux() {
        return family().equals("linux");
    }

    /** linux, windows, macos or the raw name in lower case: the words {@code prerequisites.os} uses. */
    public String family() {
        String n = name.toLowerCase(Locale.ROOT);
        if (n.startsWith("linux")) {
            return "linux";
        }
        if (n.startsWith("windows")) {
            return "windows";
        }
        if (n.startsWith("mac")) {
            return "macos";
        }
        return n.replace(' ', '-');
    }

    /** Where the SPEC's host roles live on it: Windows' folders there, the FHS everywhere else. */
    public HostFlavor flavor() {
        return isWindows() ? HostFlavor.WINDOWS : HostFlavor.LINUX;
    }
}
