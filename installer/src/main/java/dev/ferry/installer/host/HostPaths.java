package dev.ferry.installer.host;

import java.nio.file.Path;
import java.util.List;

/**
 * One agent's paths (SPEC section 4), under the root. Ferry's own files in the agent's data folder are
 * {@code state.json}, {@code .txn/} (scratch of a running transaction: the config backup) and {@code .service/}
 * (the service manager's own files, such as the pid file of {@code process}); everything else there is the agent's
 * data and is never touched but by {@code uninstall --purge}.
 */
public record HostPaths(Path root, String name, HostFlavor flavor) {
    public static final String STATE_FILE = "state.json";
    public static final String TXN_DIR = ".txn";
    public static final String SERVICE_DIR = ".service";
    public static final String CURRENT = "current";
    public static final String STAGING_PREFIX = ".staging-";
    public static final String ASIDE_PREFIX = ".aside-";

    public HostPaths(Path root, String name) {
        this(root, name, HostFlavor.current());
    }

    /** {@code /opt/ferry/NAME} ({@code Program Files\Ferry\NAME}): the runtime, removed by uninstall. */
    public Path installBase() {
        return (flavor == HostFlavor.WINDOWS
                        ? root.resolve("Program Files").resolve("Ferry")
                        : root.resolve("opt").resolve("ferry"))
                .resolve(name);
    }

    /** {@code %ProgramData%\Ferry\NAME}, which holds config, state and logs on Windows. */
    private Path windowsData() {
        return root.resolve("ProgramData").resolve("Ferry").resolve(name);
    }

    public Path releasesDir() {
        return installBase().resolve("releases");
    }

    public Path release(String releaseName) {
        return releasesDir().resolve(releaseName);
    }

    /** The symlink to the active release; {@code installDir} of the templates. */
    public Path current() {
        return installBase().resolve(CURRENT);
    }

    public Path configDir() {
        return flavor == HostFlavor.WINDOWS
                ? windowsData().resolve("config")
                : root.resolve("etc").resolve("ferry").resolve(name);
    }

    public Path tokenFile() {
        return configDir().resolve("token");
    }

    public Path platformCaFile() {
        return configDir().resolve("platform-ca.pem");
    }

    public Path proxyPasswordFile() {
        return configDir().resolve("proxy-password");
    }

    public Path proxyEnvFile() {
        return configDir().resolve("proxy.env");
    }

    public Path dataDir() {
        return flavor == HostFlavor.WINDOWS
                ? windowsData().resolve("data")
                : root.resolve("var").resolve("lib").resolve("ferry").resolve(name);
    }

    public Path stateFile() {
        return dataDir().resolve(STATE_FILE);
    }

    public Path txnDir() {
        return dataDir().resolve(TXN_DIR);
    }

    /** The copy of the config folder taken before a transaction rewrites it. */
    public Path configBackup() {
        return txnDir().resolve("config-backup");
    }

    public Path serviceStateDir() {
        return dataDir().resolve(SERVICE_DIR);
    }

    public Path logDir() {
        return flavor == HostFlavor.WINDOWS
                ? windowsData().resolve("logs")
                : root.resolve("var").resolve("log").resolve("ferry").resolve(name);
    }

    public Path installLog() {
        return logDir().resolve("install.log");
    }

    /** The folders that receive bytes during an install, for the disk check. */
    public List<Path> writtenFolders() {
        return List.of(installBase(), configDir(), dataDir(), logDir());
    }
}
