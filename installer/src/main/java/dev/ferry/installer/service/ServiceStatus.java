package dev.ferry.installer.service;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The service as its manager sees it, for {@code status}: the {@link ServiceState} plus, where the manager says
 * more (systemd), its own words. Fields a manager does not know are null.
 *
 * @param state what Ferry makes of it
 * @param managerState the manager's own state, e.g. "activating (auto-restart)" from systemd's ActiveState and SubState
 * @param mainPid the agent's process id while it runs
 * @param restarts how many times the manager restarted the agent by itself since it was last started by hand
 * @param lastExit how the agent's last process ended, e.g. "exit-code, status=209/STDOUT"; null while it never ended
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ServiceStatus(ServiceState state, String managerState, Long mainPid, Integer restarts, String lastExit) {
    public static ServiceStatus of(ServiceState state) {
        return new ServiceStatus(state, null, null, null, null);
    }
}
