package dev.ferry.installer.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The unit is checked by the real {@code systemd-analyze verify}, which parses it as PID 1 would. */
class SystemdUnitTest {
    @TempDir
    Path dir;

    private ServiceSpec spec(Path agent) {
        return new ServiceSpec(
                "ferry-verify",
                "certinext",
                List.of(
                        agent.toString(),
                        "--config",
                        dir + "/etc/my agent.yaml",
                        "--ratio=100%",
                        "--home=$HOME",
                        "say \"hi\"",
                        "back\\slash",
                        ";"),
                dir,
                dir.resolve("state"),
                List.of(dir.resolve("data"), dir.resolve("log dir")),
                dir.resolve("log dir"));
    }

    @Test
    void rendersTheHardenedUnitWithEveryValueEscaped() {
        ServiceSpec spec = new ServiceSpec(
                "certinext-bot",
                "certinext",
                List.of(
                        "/opt/ferry/certinext-bot/current/runtime/bin/agent",
                        "--config",
                        "/etc/ferry/certinext-bot/agent.yaml",
                        "--label",
                        "50% of $USER's \"bots\""),
                Path.of("/opt/ferry/certinext-bot/current"),
                Path.of("/var/lib/ferry/certinext-bot"),
                List.of(Path.of("/var/lib/ferry/certinext-bot"), Path.of("/var/log/ferry/certinext-bot")),
                Path.of("/var/log/ferry/certinext-bot"));

        assertThat(SystemdUnit.render(spec)).isEqualTo("""
                [Unit]
                Description=Ferry agent certinext-bot
                After=network-online.target
                Wants=network-online.target
                StartLimitIntervalSec=300
                StartLimitBurst=5

                [Service]
                Type=simple
                User=certinext
                WorkingDirectory=/opt/ferry/certinext-bot/current
                ExecStart="/opt/ferry/certinext-bot/current/runtime/bin/agent" "--config" "/etc/ferry/certinext-bot/agent.yaml" "--label" "50%% of $$USER's \\"bots\\""
                Restart=on-failure
                RestartSec=5
                StandardOutput=append:/var/log/ferry/certinext-bot/agent.log
                StandardError=append:/var/log/ferry/certinext-bot/error.log
                NoNewPrivileges=yes
                ProtectSystem=strict
                ProtectHome=yes
                PrivateTmp=yes
                PrivateDevices=yes
                DevicePolicy=closed
                ProtectKernelTunables=yes
                ProtectKernelModules=yes
                ProtectKernelLogs=yes
                ProtectControlGroups=yes
                ProtectClock=yes
                ProtectHostname=yes
                ProtectProc=invisible
                ProcSubset=pid
                PrivateIPC=yes
                RestrictNamespaces=yes
                RestrictRealtime=yes
                RestrictSUIDSGID=yes
                LockPersonality=yes
                RemoveIPC=yes
                KeyringMode=private
                UMask=0027
                CapabilityBoundingSet=
                AmbientCapabilities=
                RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6 AF_NETLINK
                SystemCallArchitectures=native
                SystemCallFilter=@system-service
                SystemCallFilter=~@privileged @resources
                SystemCallErrorNumber=EPERM
                ReadWritePaths="/var/lib/ferry/certinext-bot" "/var/log/ferry/certinext-bot"

                [Install]
                WantedBy=multi-user.target
                """);
    }

    @Test
    void withoutAUserTheUnitHasNoUserLine() {
        ServiceSpec spec = spec(Path.of("/usr/bin/true"));
        ServiceSpec noUser = new ServiceSpec(
                spec.name(), null, spec.exec(), spec.workingDir(), spec.stateDir(), spec.writableDirs(), spec.logDir());

        assertThat(SystemdUnit.render(noUser)).doesNotContain("User=");
    }

    @Test
    void systemdAnalyzeVerifyAcceptsTheUnitAndParsesEveryArgumentBack() throws Exception {
        Path agent = executableAgent();
        Files.createDirectories(dir.resolve("data"));
        Files.createDirectories(dir.resolve("log dir"));
        Path unit = dir.resolve("ferry-verify.service");
        Files.writeString(unit, SystemdUnit.render(spec(agent)));

        Verify verify = verify(unit, false);
        Verify dump = verify(unit, true);

        assertThat(verify.exitCode).as(verify.output).isZero();
        assertThat(verify.complaintsAbout(unit)).as(verify.output).isEmpty();
        // The debug dump shows ExecStart as systemd parsed it, shell-quoted: %% is back to %, quotes, spaces,
        // backslashes and the lone ";" are plain arguments, and $$ stays for the exec-time expansion to turn into $.
        assertThat(dump.output)
                .contains("Command Line: \"" + agent + "\" --config \"" + dir + "/etc/my agent.yaml\""
                        + " --ratio=100% \"--home=\\$\\$HOME\" \"say \\\"hi\\\"\" \"back\\\\slash\" \";\"\n");
    }

    @Test
    void systemdAnalyzeVerifyRejectsABrokenUnitSoTheCheckAboveCanFail() throws Exception {
        Path agent = executableAgent();
        Path unit = dir.resolve("ferry-broken.service");
        Files.writeString(unit, SystemdUnit.render(spec(agent)).replace("\"--ratio=100%%\"", "\"--ratio=100%x"));

        Verify verify = verify(unit, false);

        assertThat(verify.exitCode).isNotZero();
        assertThat(verify.complaintsAbout(unit)).isNotEmpty();
    }

    @Test
    void refusesARelativeExecutableAndALineBreakInAPath() {
        ServiceSpec spec = spec(Path.of("/usr/bin/true"));
        ServiceSpec relative = new ServiceSpec(
                spec.name(),
                null,
                List.of("bin/agent"),
                spec.workingDir(),
                spec.stateDir(),
                spec.writableDirs(),
                spec.logDir());
        ServiceSpec lineBreak = new ServiceSpec(
                spec.name(),
                null,
                spec.exec(),
                Path.of("/opt/x\nExecStartPre=/bin/rm"),
                spec.stateDir(),
                spec.writableDirs(),
                spec.logDir());

        assertThatThrownBy(() -> SystemdUnit.render(relative))
                .isInstanceOf(ServiceException.class)
                .hasMessageContaining("absolute path");
        assertThatThrownBy(() -> SystemdUnit.render(lineBreak))
                .isInstanceOf(ServiceException.class)
                .hasMessageContaining("control character");
    }

    private Path executableAgent() throws IOException {
        Path agent = dir.resolve("opt/agent bin/agent");
        Files.createDirectories(agent.getParent());
        Files.writeString(agent, "#!/bin/sh\nexec sleep 60\n");
        Files.setPosixFilePermissions(agent, PosixFilePermissions.fromString("rwxr-xr-x"));
        return agent;
    }

    private record Verify(int exitCode, String output) {
        /** At the default log level systemd only speaks up to complain, naming the unit (file) it complains about. */
        List<String> complaintsAbout(Path unit) {
            return output.lines()
                    .filter(l -> l.contains(unit.getFileName().toString()))
                    .toList();
        }
    }

    /** Offline: no generators, no man page lookups; the debug level adds the dump of the parsed unit. */
    private static Verify verify(Path unit, boolean debug) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(
                        "systemd-analyze", "verify", "--man=no", "--generators=no", unit.toString())
                .redirectErrorStream(true);
        builder.environment().put("SYSTEMD_LOG_LEVEL", debug ? "debug" : "notice");
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Verify(process.exitValue(), output);
    }
}
