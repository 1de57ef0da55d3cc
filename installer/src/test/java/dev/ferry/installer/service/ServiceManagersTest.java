package dev.ferry.installer.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.installer.check.Result;
import dev.ferry.installer.host.OperatingSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServiceManagersTest {
    @TempDir
    Path dir;

    @Test
    void autoPicksSystemdWhenItRunsAsPid1() throws Exception {
        Path running = Files.createDirectories(dir.resolve("run/systemd/system"));
        Path comm = Files.writeString(dir.resolve("comm"), "systemd\n");
        Path otherComm = Files.writeString(dir.resolve("other-comm"), "tini\n");
        Path absent = dir.resolve("absent");

        assertThat(ServiceManagers.resolve(ServiceManagerKind.AUTO, OperatingSystem.named("Linux"), running, otherComm))
                .isEqualTo(ServiceManagerKind.SYSTEMD);
        assertThat(ServiceManagers.resolve(ServiceManagerKind.AUTO, OperatingSystem.named("Linux"), absent, comm))
                .isEqualTo(ServiceManagerKind.SYSTEMD);
        assertThat(ServiceManagers.resolve(ServiceManagerKind.AUTO, OperatingSystem.named("Linux"), absent, otherComm))
                .isEqualTo(ServiceManagerKind.PROCESS);
        assertThat(ServiceManagers.resolve(ServiceManagerKind.AUTO, OperatingSystem.named("Mac OS X"), absent, absent))
                .isEqualTo(ServiceManagerKind.PROCESS);
        assertThat(ServiceManagers.resolve(
                        ServiceManagerKind.AUTO, OperatingSystem.named("Windows Server 2022"), running, comm))
                .isEqualTo(ServiceManagerKind.WINDOWS);
    }

    @Test
    void anExplicitKindIsTakenAsItIs() {
        for (ServiceManagerKind kind : List.of(
                ServiceManagerKind.SYSTEMD,
                ServiceManagerKind.WINDOWS,
                ServiceManagerKind.PROCESS,
                ServiceManagerKind.NONE)) {
            assertThat(ServiceManagers.resolve(kind, OperatingSystem.named("Linux"), dir, dir))
                    .isEqualTo(kind);
            assertThat(ServiceManagers.select(kind, dir, new RecordingRunner()).kind())
                    .isEqualTo(kind);
        }
    }

    @Test
    void rootRelocatesTheUnitFileOnly() {
        ServiceManager systemd = ServiceManagers.select(ServiceManagerKind.SYSTEMD, dir, new RecordingRunner());

        assertThat(((SystemdServiceManager) systemd)
                        .unitFile(new ServiceSpec("bot", null, List.of("/bin/true"), dir, dir, List.of(), dir)))
                .isEqualTo(dir.resolve("etc/systemd/system/bot.service"));
    }

    @Test
    void noneRegistersNothingStartsNothingAndSaysSo() throws Exception {
        ServiceManager none = ServiceManagers.select(ServiceManagerKind.NONE, dir, new RecordingRunner());
        ServiceSpec spec = new ServiceSpec(
                "bot", null, List.of("/bin/false"), dir, dir.resolve("state"), List.of(), dir.resolve("log"));

        none.install(spec);
        none.restart(spec);

        assertThat(none.check().result()).isEqualTo(Result.PASS);
        assertThat(none.check().evidence()).isEqualTo("no service manager: the agent is not started");
        assertThat(none.state(spec)).isEqualTo(ServiceState.NOT_INSTALLED);
        assertThat(dir).isEmptyDirectory();
    }
}
