package dev.ferry.installer.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.common.ExitCode;
import dev.ferry.common.FerryException;
import dev.ferry.installer.check.Cause;
import dev.ferry.installer.check.Check;
import dev.ferry.installer.check.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SystemdServiceManagerTest {
    @TempDir Path root;
    private final RecordingRunner runner = new RecordingRunner();

    private ServiceSpec spec() {
        return new ServiceSpec("certinext-bot", "certinext",
                List.of(root + "/opt/ferry/certinext-bot/current/runtime/bin/agent", "--config", root + "/etc/ferry/certinext-bot/agent.yaml"),
                root.resolve("opt/ferry/certinext-bot/current"), root.resolve("var/lib/ferry/certinext-bot"),
                List.of(root.resolve("var/lib/ferry/certinext-bot"), root.resolve("var/log/ferry/certinext-bot")),
                root.resolve("var/log/ferry/certinext-bot"));
    }

    private SystemdServiceManager manager() {
        return new SystemdServiceManager(root, runner, root.resolve("run/systemd/system"));
    }

    @Test
    void installWritesTheUnitUnderTheRootWithMode0644ThenReloadsAndEnables() throws Exception {
        manager().install(spec());

        Path unit = root.resolve("etc/systemd/system/certinext-bot.service");
        assertThat(unit).hasContent(SystemdUnit.render(spec()).strip());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(unit))).isEqualTo("rw-r--r--");
        assertThat(unit.getParent()).isDirectoryNotContaining("glob:**.tmp");
        assertThat(runner.commands).containsExactly(
                List.of("systemctl", "daemon-reload"),
                List.of("systemctl", "enable", "certinext-bot"));
    }

    @Test
    void restartStopAndUninstallRunTheExpectedSystemctlCommands() {
        SystemdServiceManager manager = manager();
        manager.install(spec());
        runner.commands.clear();

        manager.restart(spec());
        manager.stop(spec());
        manager.uninstall(spec());

        assertThat(runner.commands).containsExactly(
                List.of("systemctl", "restart", "certinext-bot"),
                List.of("systemctl", "stop", "certinext-bot"),
                List.of("systemctl", "disable", "--now", "certinext-bot"),
                List.of("systemctl", "daemon-reload"));
        assertThat(root.resolve("etc/systemd/system/certinext-bot.service")).doesNotExist();
    }

    @Test
    void uninstallWithoutAUnitOnlyReloads() {
        manager().uninstall(spec());

        assertThat(runner.commands).containsExactly(List.of("systemctl", "daemon-reload"));
    }

    @Test
    void stateFollowsIsActiveAndTellsAnUnknownUnitFromAStoppedOne() {
        SystemdServiceManager manager = manager();
        runner.answer("systemctl is-active certinext-bot", 3, "inactive\n");
        assertThat(manager.state(spec())).isEqualTo(ServiceState.NOT_INSTALLED);

        manager.install(spec());
        runner.answer("systemctl is-active certinext-bot", 0, "active\n")
                .answer("systemctl is-active certinext-bot", 3, "inactive\n")
                .answer("systemctl is-active certinext-bot", 3, "failed\n")
                .answer("systemctl is-active certinext-bot", 1, "");
        assertThat(manager.state(spec())).isEqualTo(ServiceState.RUNNING);
        assertThat(manager.state(spec())).isEqualTo(ServiceState.STOPPED);
        assertThat(manager.state(spec())).isEqualTo(ServiceState.FAILED);
        assertThat(manager.state(spec())).isEqualTo(ServiceState.UNKNOWN);
    }

    @Test
    void aFailingSystemctlBecomesOneLineNamingTheCommandAndItsError() {
        runner.answer("systemctl enable certinext-bot",
                new CommandResult(1, "", "Failed to enable unit: Access denied\nsee the journal\n"));

        assertThatThrownBy(() -> manager().install(spec()))
                .isInstanceOf(ServiceException.class)
                .hasMessage("`systemctl enable certinext-bot` failed (exit 1): Failed to enable unit: Access denied")
                .extracting(e -> ((FerryException) e).exitCode()).isEqualTo(ExitCode.INTERNAL);
    }

    @Test
    void checkPassesOnlyWhenSystemctlWorksAndSystemdIsRunning() throws Exception {
        runner.answer("systemctl --version", 0, "systemd 252 (252.38-1~deb12u1)\n+PAM +AUDIT\n");
        Check notRunning = manager().check();
        assertThat(notRunning.result()).isEqualTo(Result.FAIL);
        assertThat(notRunning.cause()).isEqualTo(Cause.SERVICE_MANAGER);
        assertThat(notRunning.evidence()).contains("not running as PID 1");
        assertThat(notRunning.remedy()).isEqualTo("use --service-manager process on hosts without systemd");

        Files.createDirectories(root.resolve("run/systemd/system"));
        runner.answer("systemctl --version", 0, "systemd 252 (252.38-1~deb12u1)\n");
        assertThat(manager().check()).satisfies(c -> {
            assertThat(c.result()).isEqualTo(Result.PASS);
            assertThat(c.evidence()).isEqualTo("systemd: systemd 252 (252.38-1~deb12u1)");
        });

        runner.answer("systemctl --version", new CommandResult(127, "", "cannot run systemctl: No such file"));
        assertThat(manager().check().result()).isEqualTo(Result.FAIL);
    }

    @Test
    void refusesAServiceNameThatIsNotAUnitName() {
        ServiceSpec bad = new ServiceSpec("../evil", null, spec().exec(), spec().workingDir(), spec().stateDir(),
                spec().writableDirs(), spec().logDir());

        assertThatThrownBy(() -> manager().install(bad))
                .isInstanceOf(FerryException.class)
                .hasMessageContaining("service.name '../evil'");
        assertThat(runner.commands).isEmpty();
    }
}
