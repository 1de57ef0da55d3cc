package dev.ferry.installer.service;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Renders the systemd unit of the agent: restarted on failure (at most {@link #START_LIMIT_BURST} starts in
 * {@link #START_LIMIT_INTERVAL_SECONDS} s, then systemd gives up and the unit is failed), sandboxed as far as an
 * agent that talks to the network allows (see {@link #HARDENING}), with only its data and log folders writable and
 * its output appended to {@code agent.log} and {@code error.log}. Every value is escaped for systemd: {@code %}
 * starts a specifier and {@code $} a variable in {@code ExecStart}, so both are doubled; arguments are
 * double-quoted with C escapes.
 */
public final class SystemdUnit {
    static final int RESTART_SECONDS = 5;
    static final int START_LIMIT_INTERVAL_SECONDS = 300;
    static final int START_LIMIT_BURST = 5;

    /**
     * The sandbox: {@code systemd-analyze security} rates it 2.x for an agent with its own user (README: what stays
     * exposed and why). Left out on purpose: {@code PrivateNetwork} and {@code IPAddressDeny} (the agent's job is the
     * network), {@code MemoryDenyWriteExecute} (breaks JIT runtimes: Java, Node, .NET agents), {@code PrivateUsers}
     * (the agent reads its config through group permissions, which a user namespace would hide).
     */
    static final List<String> HARDENING = List.of(
            "NoNewPrivileges=yes",
            "ProtectSystem=strict",
            "ProtectHome=yes",
            "PrivateTmp=yes",
            "PrivateDevices=yes",
            "DevicePolicy=closed",
            "ProtectKernelTunables=yes",
            "ProtectKernelModules=yes",
            "ProtectKernelLogs=yes",
            "ProtectControlGroups=yes",
            "ProtectClock=yes",
            "ProtectHostname=yes",
            "ProtectProc=invisible",
            "ProcSubset=pid",
            "PrivateIPC=yes",
            "RestrictNamespaces=yes",
            "RestrictRealtime=yes",
            "RestrictSUIDSGID=yes",
            "LockPersonality=yes",
            "RemoveIPC=yes",
            "KeyringMode=private",
            "UMask=0027",
            "CapabilityBoundingSet=",
            "AmbientCapabilities=",
            "RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6 AF_NETLINK",
            "SystemCallArchitectures=native",
            "SystemCallFilter=@system-service",
            "SystemCallFilter=~@privileged @resources",
            "SystemCallErrorNumber=EPERM");

    private SystemdUnit() {}

    public static String render(ServiceSpec spec) {
        StringBuilder unit = new StringBuilder()
                .append("[Unit]\n")
                .append("Description=")
                .append(line("Ferry agent " + spec.name()))
                .append('\n')
                .append("After=network-online.target\n")
                .append("Wants=network-online.target\n")
                .append("StartLimitIntervalSec=")
                .append(START_LIMIT_INTERVAL_SECONDS)
                .append('\n')
                .append("StartLimitBurst=")
                .append(START_LIMIT_BURST)
                .append('\n')
                .append("\n[Service]\n")
                .append("Type=simple\n");
        if (spec.user() != null && !spec.user().isBlank()) {
            unit.append("User=").append(line(spec.user())).append('\n');
        }
        unit.append("WorkingDirectory=")
                .append(path(spec.workingDir()))
                .append('\n')
                .append("ExecStart=")
                .append(execStart(spec.exec()))
                .append('\n')
                .append("Restart=on-failure\n")
                .append("RestartSec=")
                .append(RESTART_SECONDS)
                .append('\n');
        for (Path secret : spec.secrets()) {
            // Copied by systemd at every start into a private, read-only folder the agent's user can read: the file
            // itself stays root's, 0600. Only files there now: a missing one would fail the start (243/CREDENTIALS).
            if (Files.isRegularFile(secret)) {
                unit.append("LoadCredential=")
                        .append(line(secret.getFileName() + ":" + secret))
                        .append('\n');
            }
        }
        if (spec.logDir() != null) {
            unit.append("StandardOutput=append:")
                    .append(path(spec.logDir().resolve("agent.log")))
                    .append('\n')
                    .append("StandardError=append:")
                    .append(path(spec.logDir().resolve("error.log")))
                    .append('\n');
        }
        HARDENING.forEach(setting -> unit.append(setting).append('\n'));
        if (spec.writableDirs() != null && !spec.writableDirs().isEmpty()) {
            unit.append("ReadWritePaths=")
                    .append(spec.writableDirs().stream()
                            .map(d -> quoted(path(d)))
                            .collect(Collectors.joining(" ")))
                    .append('\n');
        }
        return unit.append("\n[Install]\n")
                .append("WantedBy=multi-user.target\n")
                .toString();
    }

    /** {@code ExecStart=} value: every argument double-quoted, so spaces, quotes and a lone {@code ;} stay literal. */
    static String execStart(List<String> exec) {
        if (exec == null || exec.isEmpty() || !exec.get(0).startsWith("/")) {
            throw new ServiceException("agent.exec must start with an absolute path for systemd, got " + exec);
        }
        return exec.stream()
                .map(arg -> quoted(specifiers(arg).replace("$", "$$")))
                .collect(Collectors.joining(" "));
    }

    private static String quoted(String value) {
        StringBuilder out = new StringBuilder(value.length() + 2).append('"');
        for (char c : value.toCharArray()) {
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '"' -> out.append("\\\"");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        out.append(String.format("\\x%02x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    private static String specifiers(String value) {
        return value.replace("%", "%%");
    }

    private static String path(Path path) {
        return line(path.toString());
    }

    /** A value outside quotes runs to the end of the line: a line break in it would start a new setting. */
    private static String line(String text) {
        if (text.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new ServiceException("cannot write a systemd unit value with a control character: " + text.strip());
        }
        return specifiers(text);
    }
}
