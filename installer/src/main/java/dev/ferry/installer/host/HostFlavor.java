package dev.ferry.installer.host;

/**
 * Where the roles of SPEC section 4 live: Linux's FHS folders, or on Windows {@code %ProgramFiles%\Ferry\NAME}
 * (runtime) and {@code %ProgramData%\Ferry\NAME} (config, state and logs). Both hang off the same root.
 */
public enum HostFlavor {
    LINUX,
    WINDOWS;

    public static HostFlavor current() {
        return OperatingSystem.current().flavor();
    }
}
