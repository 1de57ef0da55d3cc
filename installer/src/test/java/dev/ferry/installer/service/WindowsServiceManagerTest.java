package dev.ferry.installer.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.installer.check.Result;
import dev.ferry.installer.host.OperatingSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** sc.exe cannot run here: the command lines are checked through the recording runner. */
class WindowsServiceManagerTest {
    private static final String RUNNING = """
            SERVICE_NAME: certinext-bot
                    TYPE               : 10  WIN32_OWN_PROCESS
                    STATE              : 4  RUNNING
                                            (STOPPABLE, NOT_PAUSABLE, ACCEPTS_SHUTDOWN)
                    WIN32_EXIT_CODE    : 0  (0x0)
                    SERVICE_EXIT_CODE  : 0  (0x0)
            """;
    private static final String STOPPED = RUNNING.replace("4  RUNNING", "1  STOPPED");
    private static final String CRASHED =
            STOPPED.replace("WIN32_EXIT_CODE    : 0  (0x0)", "WIN32_EXIT_CODE    : 1067  (0x42b)");
    private static final String NEVER_STARTED =
            STOPPED.replace("WIN32_EXIT_CODE    : 0  (0x0)", "WIN32_EXIT_CODE    : 1077  (0x435)");
    private static final CommandResult MISSING = new CommandResult(
            1060,
            "[SC] EnumQueryServicesStatus:OpenService FAILED 1060:\n\nThe specified service does not exist as an installed service.\n",
            "");

    @TempDir
    Path dir;

    private final RecordingRunner runner = new RecordingRunner();
    private final WindowsServiceManager manager =
            new WindowsServiceManager(runner, OperatingSystem.named("Windows Server 2022"), Path.of("C:\\x"), d -> {});

    private static ServiceSpec spec(String user) {
        return new ServiceSpec(
                "certinext-bot",
                user,
                List.of(
                        "C:\\Program Files\\Ferry\\certinext-bot\\current\\runtime\\bin\\agent.exe",
                        "--config",
                        "C:\\ProgramData\\Ferry\\certinext-bot\\config\\agent.yaml",
                        "--label",
                        "say \"hi\"",
                        "C:\\data dir\\"),
                Path.of("."),
                Path.of("."),
                List.of(),
                Path.of("."));
    }

    @Test
    void installCreatesAnAutoStartServiceWithAQuotedBinPathAndRestartOnFailure() {
        runner.answer("sc.exe query certinext-bot", MISSING);

        manager.install(spec("NT SERVICE\\certinext-bot"));

        assertThat(runner.commands)
                .containsExactly(
                        List.of("sc.exe", "query", "certinext-bot"),
                        List.of(
                                "sc.exe",
                                "create",
                                "certinext-bot",
                                "binPath=",
                                "\"C:\\Program Files\\Ferry\\certinext-bot\\current\\runtime\\bin\\agent.exe\" --config "
                                        + "C:\\ProgramData\\Ferry\\certinext-bot\\config\\agent.yaml --label \"say \\\"hi\\\"\" \"C:\\data dir\\\\\"",
                                "start=",
                                "auto",
                                "DisplayName=",
                                "Ferry agent certinext-bot",
                                "obj=",
                                "NT SERVICE\\certinext-bot"),
                        List.of(
                                "sc.exe",
                                "failure",
                                "certinext-bot",
                                "reset=",
                                "86400",
                                "actions=",
                                "restart/5000/restart/5000/restart/5000"));
    }

    @Test
    void installOverAnExistingServiceReconfiguresItInsteadOfFailing() {
        runner.answer("sc.exe query certinext-bot", 0, STOPPED);

        manager.install(spec(null));

        assertThat(runner.commands.get(1))
                .startsWith("sc.exe", "config", "certinext-bot", "binPath=")
                .doesNotContain("obj=");
    }

    @Test
    void restartStopsARunningServiceWaitsUntilItIsStoppedThenStartsIt() {
        runner.answer("sc.exe query certinext-bot", 0, RUNNING)
                .answer("sc.exe query certinext-bot", 0, RUNNING.replace("4  RUNNING", "3  STOP_PENDING"))
                .answer("sc.exe query certinext-bot", 0, STOPPED);

        manager.restart(spec(null));

        assertThat(runner.commands)
                .containsExactly(
                        List.of("sc.exe", "query", "certinext-bot"),
                        List.of("sc.exe", "stop", "certinext-bot"),
                        List.of("sc.exe", "query", "certinext-bot"),
                        List.of("sc.exe", "start", "certinext-bot"));
    }

    @Test
    void stopOfAServiceThatIsNotStartedIsNotAnError() {
        runner.answer("sc.exe stop certinext-bot", new CommandResult(1062, "[SC] ControlService FAILED 1062:\n", ""))
                .answer("sc.exe query certinext-bot", 0, STOPPED);

        manager.stop(spec(null));

        assertThat(runner.commands).hasSize(2);
    }

    @Test
    void aServiceThatNeverStopsIsReported() {
        for (int i = 0; i < 60; i++) {
            runner.answer("sc.exe query certinext-bot", 0, RUNNING);
        }

        assertThatThrownBy(() -> manager.stop(spec(null)))
                .isInstanceOf(ServiceException.class)
                .hasMessage("service certinext-bot did not stop within 30 s (sc.exe query certinext-bot)");
    }

    @Test
    void uninstallStopsAndDeletesButIgnoresAMissingService() {
        runner.answer("sc.exe query certinext-bot", 0, RUNNING).answer("sc.exe query certinext-bot", 0, STOPPED);
        manager.uninstall(spec(null));
        assertThat(runner.commands)
                .containsExactly(
                        List.of("sc.exe", "query", "certinext-bot"),
                        List.of("sc.exe", "stop", "certinext-bot"),
                        List.of("sc.exe", "query", "certinext-bot"),
                        List.of("sc.exe", "delete", "certinext-bot"));

        runner.commands.clear();
        runner.answer("sc.exe query certinext-bot", MISSING);
        manager.uninstall(spec(null));
        assertThat(runner.commands).containsExactly(List.of("sc.exe", "query", "certinext-bot"));
    }

    @Test
    void stateIsParsedFromScQuery() {
        runner.answer("sc.exe query certinext-bot", 0, RUNNING)
                .answer("sc.exe query certinext-bot", 0, STOPPED)
                .answer("sc.exe query certinext-bot", 0, CRASHED)
                .answer("sc.exe query certinext-bot", 0, NEVER_STARTED)
                .answer("sc.exe query certinext-bot", MISSING)
                .answer(
                        "sc.exe query certinext-bot",
                        new CommandResult(5, "", "[SC] OpenSCManager FAILED 5:\n\nAccess is denied.\n"));

        assertThat(List.of(
                        manager.state(spec(null)),
                        manager.state(spec(null)),
                        manager.state(spec(null)),
                        manager.state(spec(null)),
                        manager.state(spec(null)),
                        manager.state(spec(null))))
                .containsExactly(
                        ServiceState.RUNNING,
                        ServiceState.STOPPED,
                        ServiceState.FAILED,
                        ServiceState.STOPPED,
                        ServiceState.NOT_INSTALLED,
                        ServiceState.UNKNOWN);
    }

    @Test
    void aFailingScCommandNamesItAndItsError() {
        runner.answer("sc.exe query certinext-bot", MISSING)
                .answer(
                        "sc.exe failure certinext-bot reset= 86400 actions= restart/5000/restart/5000/restart/5000",
                        new CommandResult(5, "[SC] ChangeServiceConfig2 FAILED 5:\n\nAccess is denied.\n", ""));

        assertThatThrownBy(() -> manager.install(spec(null)))
                .isInstanceOf(ServiceException.class)
                .hasMessage(
                        "`sc.exe failure certinext-bot reset= 86400 actions= restart/5000/restart/5000/restart/5000`"
                                + " failed (exit 5): [SC] ChangeServiceConfig2 FAILED 5:");
    }

    @Test
    void checkPassesOnlyOnWindowsWithScExe() throws Exception {
        Path sc = Files.createFile(dir.resolve("sc.exe"));

        assertThat(new WindowsServiceManager(runner, OperatingSystem.named("Linux"), sc, d -> {})
                        .check()
                        .result())
                .isEqualTo(Result.FAIL);
        assertThat(new WindowsServiceManager(
                                runner, OperatingSystem.named("Windows 11"), dir.resolve("missing.exe"), d -> {})
                        .check()
                        .result())
                .isEqualTo(Result.FAIL);
        assertThat(new WindowsServiceManager(runner, OperatingSystem.named("Windows 11"), sc, d -> {})
                        .check()
                        .result())
                .isEqualTo(Result.PASS);
    }
}
