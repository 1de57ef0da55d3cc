package dev.ferry.installer.service;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A unit as {@code systemctl show} describes it, and what Ferry makes of it. {@code is-active} alone cannot tell a
 * unit that runs from one waiting to be restarted after a crash (both "activating" or, for a moment, "active"):
 * the sub-state can.
 */
record SystemdUnitState(
        String loadState,
        String activeState,
        String subState,
        long mainPid,
        int restarts,
        String result,
        int execMainCode,
        int execMainStatus) {
    static final List<String> PROPERTIES = List.of(
            "LoadState", "ActiveState", "SubState", "MainPID", "NRestarts", "Result", "ExecMainCode", "ExecMainStatus");

    /** {@code si_code} values of the agent's last exit, as systemd records them. */
    private static final int CLD_EXITED = 1;

    private static final int CLD_KILLED = 2;
    private static final int CLD_DUMPED = 3;

    /** The exit codes systemd itself uses when it could not even run the agent (systemd.exec(5), "Process exit codes"). */
    private static final Map<Integer, String> SYSTEMD_EXITS = Map.ofEntries(
            Map.entry(200, "CHDIR"),
            Map.entry(201, "NICE"),
            Map.entry(202, "FDS"),
            Map.entry(203, "EXEC"),
            Map.entry(204, "MEMORY"),
            Map.entry(205, "LIMITS"),
            Map.entry(206, "OOM_ADJUST"),
            Map.entry(207, "SIGNAL_MASK"),
            Map.entry(208, "STDIN"),
            Map.entry(209, "STDOUT"),
            Map.entry(210, "CHROOT"),
            Map.entry(211, "IOPRIO"),
            Map.entry(212, "TIMERSLACK"),
            Map.entry(213, "SECUREBITS"),
            Map.entry(214, "SETSCHEDULER"),
            Map.entry(215, "CPUAFFINITY"),
            Map.entry(216, "GROUP"),
            Map.entry(217, "USER"),
            Map.entry(218, "CAPABILITIES"),
            Map.entry(219, "CGROUP"),
            Map.entry(220, "SETSID"),
            Map.entry(221, "CONFIRM"),
            Map.entry(222, "STDERR"),
            Map.entry(224, "PAM"),
            Map.entry(225, "NETWORK"),
            Map.entry(226, "NAMESPACE"),
            Map.entry(227, "NO_NEW_PRIVILEGES"),
            Map.entry(228, "SECCOMP"),
            Map.entry(229, "SELINUX_CONTEXT"),
            Map.entry(230, "PERSONALITY"),
            Map.entry(231, "APPARMOR_PROFILE"),
            Map.entry(232, "ADDRESS_FAMILIES"),
            Map.entry(233, "RUNTIME_DIRECTORY"),
            Map.entry(235, "CHOWN"),
            Map.entry(236, "SMACK_PROCESS_LABEL"),
            Map.entry(237, "KEYRING"),
            Map.entry(238, "STATE_DIRECTORY"),
            Map.entry(239, "CACHE_DIRECTORY"),
            Map.entry(240, "LOGS_DIRECTORY"),
            Map.entry(241, "CONFIGURATION_DIRECTORY"),
            Map.entry(242, "NUMA_POLICY"),
            Map.entry(243, "CREDENTIALS"),
            Map.entry(245, "BPF"));

    /** Parses {@code systemctl show --property=...} output ({@code KEY=value} lines); missing numbers are 0. */
    static SystemdUnitState parse(String show) {
        Map<String, String> p = new HashMap<>();
        show.lines().forEach(line -> {
            int eq = line.indexOf('=');
            if (eq > 0) {
                p.put(line.substring(0, eq), line.substring(eq + 1).strip());
            }
        });
        return new SystemdUnitState(
                p.getOrDefault("LoadState", ""),
                p.getOrDefault("ActiveState", ""),
                p.getOrDefault("SubState", ""),
                number(p.get("MainPID")),
                (int) number(p.get("NRestarts")),
                p.getOrDefault("Result", ""),
                (int) number(p.get("ExecMainCode")),
                (int) number(p.get("ExecMainStatus")));
    }

    private static long number(String value) {
        try {
            return value == null || value.isEmpty() ? 0 : Long.parseLong(value);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** Running means the agent's process is up: active with sub-state "running" (or reloading it). */
    boolean running() {
        return ("active".equals(activeState) && "running".equals(subState)) || "reloading".equals(activeState);
    }

    ServiceState state() {
        if ("not-found".equals(loadState)) {
            return ServiceState.NOT_INSTALLED;
        }
        if (running()) {
            return ServiceState.RUNNING;
        }
        return switch (activeState) {
            case "activating" -> "auto-restart".equals(subState) ? ServiceState.RESTARTING : ServiceState.STARTING;
            case "deactivating" -> ServiceState.STOPPING;
            case "failed" -> ServiceState.FAILED;
            case "inactive" -> ServiceState.STOPPED;
            // active but not running: a Type=simple agent whose process is gone while systemd still counts it up
            case "active" -> ServiceState.STOPPED;
            default -> ServiceState.UNKNOWN;
        };
    }

    ServiceStatus status() {
        return new ServiceStatus(state(), managerState(), mainPid > 0 ? mainPid : null, restarts, lastExit());
    }

    /** systemctl's own words: "active (running)", "activating (auto-restart)", "failed (failed)". */
    String managerState() {
        return activeState.isEmpty() ? "unknown" : activeState + (subState.isEmpty() ? "" : " (" + subState + ")");
    }

    /** How the agent's last process ended, as systemctl status words it: "exit-code, status=209/STDOUT"; null if it never did. */
    String lastExit() {
        String how = switch (execMainCode) {
            case CLD_EXITED ->
                "status=" + execMainStatus
                        + (SYSTEMD_EXITS.containsKey(execMainStatus) ? "/" + SYSTEMD_EXITS.get(execMainStatus) : "");
            case CLD_KILLED, CLD_DUMPED ->
                "signal=" + signalName(execMainStatus) + (execMainCode == CLD_DUMPED ? " (core dumped)" : "");
            default -> null;
        };
        if (how == null) {
            return null;
        }
        return result.isEmpty() || "success".equals(result) ? how : result + ", " + how;
    }

    private static String signalName(int signal) {
        return switch (signal) {
            case 1 -> "HUP";
            case 2 -> "INT";
            case 6 -> "ABRT";
            case 9 -> "KILL";
            case 11 -> "SEGV";
            case 13 -> "PIPE";
            case 15 -> "TERM";
            default -> String.valueOf(signal);
        };
    }
}
