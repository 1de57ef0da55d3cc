package dev.ferry.installer.service;

import dev.ferry.installer.host.OperatingSystem;
import java.io.File;

/** The platform's empty input: a started program must never wait on the installer's terminal. */
final class NullDevice {
    private NullDevice() {}

    static File file() {
        return new File(OperatingSystem.current().isWindows() ? "NUL" : "/dev/null");
    }
}
