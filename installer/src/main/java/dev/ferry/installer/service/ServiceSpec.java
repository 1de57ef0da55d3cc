package dev.ferry.installer.service;

import java.nio.file.Path;
import java.util.List;

/**
 * What a service manager needs to run the agent. Paths are real host paths (already under {@code --root}).
 *
 * @param name the service name ({@code service.name})
 * @param user the account to run as, or null for the manager's default
 * @param exec the rendered command line ({@code agent.exec} with template variables filled in)
 * @param workingDir the active release ({@code current})
 * @param stateDir where a manager may keep its own files (the pid file of {@code process})
 * @param writableDirs folders the agent writes (data and log), for sandboxing managers
 * @param logDir where {@code agent.log} and {@code error.log} go when the manager captures output
 * @param configDir the agent's config folder (read by the agent; systemd makes it readable by {@code user}); nullable
 * @param secrets the 0600 root-owned files the agent reads (token, proxy password): systemd hands them to an agent
 *     with its own {@code user} as credentials ({@code $CREDENTIALS_DIRECTORY/NAME}) instead of changing their owner
 */
public record ServiceSpec(
        String name,
        String user,
        List<String> exec,
        Path workingDir,
        Path stateDir,
        List<Path> writableDirs,
        Path logDir,
        Path configDir,
        List<Path> secrets) {
    public ServiceSpec {
        secrets = secrets == null ? List.of() : List.copyOf(secrets);
    }

    /** A spec without a config folder (managers that run the agent as the installer's own user need none). */
    public ServiceSpec(
            String name,
            String user,
            List<String> exec,
            Path workingDir,
            Path stateDir,
            List<Path> writableDirs,
            Path logDir) {
        this(name, user, exec, workingDir, stateDir, writableDirs, logDir, null, List.of());
    }
}
