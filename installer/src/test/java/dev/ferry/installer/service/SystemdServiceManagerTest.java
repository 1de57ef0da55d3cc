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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SystemdServiceManagerTest {
    @TempDir
    Path root;

    private final RecordingRunner runner = new RecordingRunner();

    private ServiceSpec noUser() {
        return withUser(null);
    }

    private ServiceSpec withUser(String user) {
        ServiceSpec s = spec();
        return new ServiceSpec(
                s.name(),
                user,
                s.exec(),
                s.workingDir(),
                s.stateDir(),
                s.writableDirs(),
                s.logDir(),
                root.resolve("etc/ferry/certinext-bot"),
                List.of(root.resolve("etc/ferry/certinext-bot/token")));
    }

    private ServiceSpec spec() {
        return new ServiceSpec(
                "certinext-bot",
                "certinext",
                List.of(
                        root + "/opt/ferry/certinext-bot/current/runtime/bin/agent",
                        "--config",
                        root + "/etc/ferry/certinext-bot/agent.yaml"),
                root.resolve("opt/ferry/certinext-bot/current"),
                root.resolve("var/lib/ferry/certinext-bot"),
                List.of(root.resolve("var/lib/ferry/certinext-bot"), root.resolve("var/log/ferry/certinext-bot")),
                root.resolve("var/log/ferry/certinext-bot"));
    }

    private final List<Duration> pauses = new ArrayList<>();

    private SystemdServiceManager manager() {
        return new SystemdServiceManager(root, runner, root.resolve("run/systemd/system"), pauses::add);
    }

    private static final String SHOW = "systemctl show certinext-bot --property=LoadState,ActiveState,SubState,MainPID,"
            + "NRestarts,Result,ExecMainCode,ExecMainStatus";

    private static String unit(String active, String sub, long pid, int restarts, String result, int code, int status) {
        return "LoadState=loaded\nActiveState=" + active + "\nSubState=" + sub + "\nMainPID=" + pid + "\nNRestarts="
                + restarts + "\nResult=" + result + "\nExecMainCode=" + code + "\nExecMainStatus=" + status + "\n";
    }

    private static final String RUNNING = unit("active", "running", 4242, 0, "success", 0, 0);

    /** The unit answers {@code show} with {@code RUNNING} for as many looks as the grace period takes. */
    private void runsThroughTheGracePeriod() {
        for (int i = 0; i <= SystemdServiceManager.GRACE.toMillis() / SystemdServiceManager.POLL.toMillis(); i++) {
            runner.answer(SHOW, 0, RUNNING);
        }
    }

    @Test
    void installWritesTheUnitUnderTheRootWithMode0644ThenReloadsAndEnables() throws Exception {
        manager().install(noUser());

        Path unit = root.resolve("etc/systemd/system/certinext-bot.service");
        assertThat(unit).hasContent(SystemdUnit.render(noUser()).strip());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(unit)))
                .isEqualTo("rw-r--r--");
        assertThat(unit.getParent()).isDirectoryNotContaining("glob:**.tmp");
        assertThat(runner.commands)
                .containsExactly(
                        List.of("systemctl", "daemon-reload"), List.of("systemctl", "enable", "certinext-bot"));
    }

    @Test
    void everythingTheUnitNamesExistsBeforeItStarts() throws Exception {
        manager().install(noUser());

        // systemd opens these before the agent runs: a missing folder was status=209/STDOUT and a crash loop.
        assertThat(root.resolve("var/log/ferry/certinext-bot/agent.log")).isRegularFile();
        assertThat(root.resolve("var/log/ferry/certinext-bot/error.log")).isRegularFile();
        assertThat(root.resolve("var/lib/ferry/certinext-bot")).isDirectory();
    }

    @Test
    void restartReturnsOnlyOnceTheSameProcessRanForTheWholeGracePeriod() {
        SystemdServiceManager manager = manager();
        manager.install(noUser());
        runner.commands.clear();
        runsThroughTheGracePeriod();

        manager.restart(noUser());

        assertThat(runner.commands.subList(0, 2))
                .containsExactly(
                        List.of("systemctl", "reset-failed", "certinext-bot"),
                        List.of("systemctl", "restart", "certinext-bot"));
        long looks =
                runner.commands.stream().filter(c -> c.get(1).equals("show")).count();
        assertThat(looks).isEqualTo(SystemdServiceManager.GRACE.toMillis() / SystemdServiceManager.POLL.toMillis() + 1);
        assertThat(pauses.stream().mapToLong(Duration::toMillis).sum())
                .isEqualTo(SystemdServiceManager.GRACE.toMillis());
    }

    @Test
    void anAgentThatDiesAfterItsStartFailsTheRestartWithTheUnitsOwnReason() {
        runner.answer(SHOW, 0, RUNNING)
                .answer(SHOW, 0, unit("activating", "auto-restart", 0, 1, "exit-code", 1, 209))
                .answer("journalctl -u certinext-bot -n 20 --no-pager -o cat", 0, """
                        Started certinext-bot.service - Ferry agent certinext-bot.
                        certinext-bot.service: Failed to set up standard output: No such file or directory
                        certinext-bot.service: Main process exited, code=exited, status=209/STDOUT
                        certinext-bot.service: Failed with result 'exit-code'.
                        """);

        assertThatThrownBy(() -> manager().restart(noUser()))
                .isInstanceOf(ServiceException.class)
                .hasMessage("certinext-bot did not stay running under systemd: activating (auto-restart), exit-code,"
                        + " status=209/STDOUT; journal: certinext-bot.service: Failed to set up standard output: No such"
                        + " file or directory (see journalctl -u certinext-bot and " + root
                        + "/var/log/ferry/certinext-bot/error.log)");
    }

    @Test
    void aNewMainPidDuringTheGracePeriodIsACrashAndARestartNotASuccess() {
        runner.answer(SHOW, 0, RUNNING).answer(SHOW, 0, unit("active", "running", 5151, 1, "success", 2, 9));

        assertThatThrownBy(() -> manager().restart(noUser()))
                .isInstanceOf(ServiceException.class)
                .hasMessageStartingWith(
                        "certinext-bot did not stay running under systemd: active (running), signal=KILL");
    }

    @Test
    void stopAndUninstallRunTheExpectedSystemctlCommandsAndSystemdForgetsTheUnit() {
        SystemdServiceManager manager = manager();
        manager.install(noUser());
        runner.commands.clear();

        manager.stop(noUser());
        manager.uninstall(noUser());

        assertThat(runner.commands)
                .containsExactly(
                        List.of("systemctl", "stop", "certinext-bot"),
                        List.of("systemctl", "disable", "--now", "certinext-bot"),
                        List.of("systemctl", "daemon-reload"),
                        List.of("systemctl", "reset-failed", "certinext-bot"));
        assertThat(root.resolve("etc/systemd/system/certinext-bot.service")).doesNotExist();
    }

    @Test
    void uninstallWithoutAUnitOnlyReloads() {
        manager().uninstall(spec());

        assertThat(runner.commands)
                .containsExactly(
                        List.of("systemctl", "daemon-reload"), List.of("systemctl", "reset-failed", "certinext-bot"));
    }

    @Test
    void statusReadsTheUnitStateAndNeverCallsARestartingUnitRunning() {
        SystemdServiceManager manager = manager();
        runner.answer(SHOW, 0, "LoadState=not-found\nActiveState=inactive\nSubState=dead\n");
        assertThat(manager.state(spec())).isEqualTo(ServiceState.NOT_INSTALLED);

        manager.install(noUser());
        runner.answer(SHOW, 0, RUNNING)
                .answer(SHOW, 0, unit("activating", "auto-restart", 0, 3, "exit-code", 1, 209))
                .answer(SHOW, 0, unit("activating", "start", 0, 0, "success", 0, 0))
                .answer(SHOW, 0, unit("failed", "failed", 0, 5, "start-limit-hit", 1, 2))
                .answer(SHOW, 0, unit("inactive", "dead", 0, 0, "success", 1, 0))
                .answer(SHOW, 1, "");
        assertThat(manager.status(spec()))
                .isEqualTo(new ServiceStatus(ServiceState.RUNNING, "active (running)", 4242L, 0, null));
        assertThat(manager.status(spec()))
                .isEqualTo(new ServiceStatus(
                        ServiceState.RESTARTING, "activating (auto-restart)", null, 3, "exit-code, status=209/STDOUT"));
        assertThat(manager.state(spec())).isEqualTo(ServiceState.STARTING);
        assertThat(manager.status(spec()))
                .isEqualTo(new ServiceStatus(
                        ServiceState.FAILED, "failed (failed)", null, 5, "start-limit-hit, status=2"));
        assertThat(manager.state(spec())).isEqualTo(ServiceState.STOPPED);
        assertThat(manager.state(spec())).isEqualTo(ServiceState.UNKNOWN);
    }

    @Test
    void withAServiceUserTheAgentOwnsItsLogsSharesItsFoldersReadsItsConfigAndGetsItsTokenAsACredential()
            throws Exception {
        Path config = Files.createDirectories(root.resolve("etc/ferry/certinext-bot"));
        Files.writeString(config.resolve("agent.yaml"), "a: b\n");
        Files.setPosixFilePermissions(config.resolve("agent.yaml"), PosixFilePermissions.fromString("rw-r-----"));
        Files.writeString(config.resolve("token"), "secret\n");
        Files.setPosixFilePermissions(config.resolve("token"), PosixFilePermissions.fromString("rw-------"));
        runner.answer("id -gn nobody", 0, "nogroup\n");

        manager().install(withUser("nobody"));

        Path data = root.resolve("var/lib/ferry/certinext-bot");
        assertThat(Files.getAttribute(data, "unix:mode")).isEqualTo(01770 | 0040000);
        assertThat(Files.getAttribute(data, "posix:group").toString()).isEqualTo("nogroup");
        assertThat(Files.getOwner(root.resolve("var/log/ferry/certinext-bot/agent.log"))
                        .getName())
                .isEqualTo("nobody");
        assertThat(Files.getAttribute(config.resolve("agent.yaml"), "posix:group")
                        .toString())
                .isEqualTo("nogroup");
        assertThat(Files.getOwner(config.resolve("agent.yaml")).getName()).isEqualTo("root");
        assertThat(Files.getOwner(config.resolve("token")).getName()).isEqualTo("root");
        assertThat(Files.getAttribute(config.resolve("token"), "posix:group").toString())
                .isEqualTo("root");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(config.resolve("token"))))
                .isEqualTo("rw-------");
        assertThat(root.resolve("etc/systemd/system/certinext-bot.service"))
                .content()
                .contains("\nLoadCredential=token:" + config.resolve("token") + "\n");
    }

    @Test
    void aServiceUserThatDoesNotExistIsRefusedBeforeAnythingStarts() {
        assertThatThrownBy(() -> manager().restart(withUser("ferry-no-such-user")))
                .isInstanceOf(ServiceException.class)
                .hasMessage("service.user 'ferry-no-such-user' does not exist on this host: create it first"
                        + " (useradd --system --user-group ferry-no-such-user) or change service.user");
        assertThat(runner.commands).noneMatch(c -> c.contains("restart"));
    }

    @Test
    void aFailingSystemctlBecomesOneLineNamingTheCommandAndItsError() {
        runner.answer(
                "systemctl enable certinext-bot",
                new CommandResult(1, "", "Failed to enable unit: Access denied\nsee the journal\n"));

        assertThatThrownBy(() -> manager().install(noUser()))
                .isInstanceOf(ServiceException.class)
                .hasMessage("`systemctl enable certinext-bot` failed (exit 1): Failed to enable unit: Access denied")
                .extracting(e -> ((FerryException) e).exitCode())
                .isEqualTo(ExitCode.INTERNAL);
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
        ServiceSpec bad = new ServiceSpec(
                "../evil",
                null,
                spec().exec(),
                spec().workingDir(),
                spec().stateDir(),
                spec().writableDirs(),
                spec().logDir());

        assertThatThrownBy(() -> manager().install(bad))
                .isInstanceOf(FerryException.class)
                .hasMessageContaining("service.name '../evil'");
        assertThat(runner.commands).isEmpty();
    }
}
