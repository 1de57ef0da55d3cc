package dev.ferry.installer.diagnose;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * What goes into a diagnose archive. Every path may be missing (a broken or half-removed install): the archive
 * then says what was missing. The documents are whatever the caller could produce, as a Jackson-serialisable object
 * or JsonNode, or an {@link Unavailable} saying why not (null means "not given").
 *
 * @param botName     the agent's name, for the summary; nullable
 * @param hostName    this host's name
 * @param root        the {@code --root} prefix; {@code <root>/etc/resolv.conf} is read
 * @param configDir   every file is archived under {@code config/}, redacted; secret files are left out
 * @param logDir      {@code install.log}, {@code agent.log}, {@code error.log}: the last 1,000 lines of each
 * @param dataDir     measured for free disk space
 * @param folders     more folders to measure (install, releases, ...)
 * @param secretFiles files never archived (the token, the proxy password file), besides names that look secret
 * @param secrets     contents of the token and proxy password files, for redaction only; never written
 * @param environment the process environment (proxy variables are reported, passwords redacted); null: the real one
 * @param clock       the time the archive reports; null: the system clock
 */
public record DiagnoseInputs(
        String botName,
        String hostName,
        Path root,
        Path configDir,
        Path logDir,
        Path dataDir,
        List<Path> folders,
        Object status,
        Object preflight,
        Object selftest,
        List<Path> secretFiles,
        List<String> secrets,
        Map<String, String> environment,
        Clock clock) {
    /** A document that could not be produced, and why (e.g. "no install state: state.json is missing"). */
    public record Unavailable(String reason) {}

    public DiagnoseInputs {
        folders = folders == null ? List.of() : List.copyOf(folders);
        secretFiles = secretFiles == null ? List.of() : List.copyOf(secretFiles);
        secrets = secrets == null ? List.of() : List.copyOf(secrets);
        environment = environment == null ? System.getenv() : Map.copyOf(environment);
        clock = clock == null ? Clock.systemUTC() : clock;
    }

    /** Never the secrets or the environment. */
    @Override
    public String toString() {
        return "DiagnoseInputs[bot=" + botName + ", host=" + hostName + ", root=" + root + ", config=" + configDir
                + ", logs=" + logDir + ", data=" + dataDir + ", secrets=" + secrets.size() + " redacted]";
    }
}
