package dev.ferry.installer.host;

import java.nio.file.Path;

/**
 * One agent's paths (SPEC section 4), under the root. Ferry's own files in the agent's data folder are
 * {@code state.json}, {@code .txn/} (scratch of a running transaction: the config backup) and {@code .service/}
 * (the service manager's own files, such as the pid file of {@code process}); everything else there is the agent's
 * data and is never touched but by {@code uninstall --purge}.
 */
public record HostPaths(Path root, String name) {
    public static final String STATE_FILE = "state.json";
    public static final String TXN_DIR = ".txn";
    public static final String SERVICE_DIR = ".service";
    public static final String CURRENT = "current";
    public static final String STAGING_PREFIX = ".staging-";
    public static final String ASIDE_PREFIX = ".aside-";

    /** {@code /opt/ferry/NAME}: the runtime, removed by uninstall. */
    public Path installBase() {
        return root.resolve("opt/ferry").resolve(name);
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
        return root.resolve("etc/ferry").resolve(name);
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
        return root.resolve("var/lib/ferry").resolve(name);
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
        return root.resolve("var/log/ferry").resolve(name);
    }

    public Path installLog() {
        return logDir().resolve("install.log");
    }

    /** The folders that receive bytes during an install, for the disk check. */
    public java.util.List<Path> writtenFolders() {
        return java.util.List.of(installBase(), configDir(), dataDir(), logDir());
    }
}
