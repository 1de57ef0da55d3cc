package dev.ferry.installer.transaction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.ferry.common.ExitCode;
import dev.ferry.common.FerryException;
import dev.ferry.installer.check.Check;
import dev.ferry.installer.check.CheckReport;
import dev.ferry.installer.host.HostLayout;
import dev.ferry.installer.host.HostPaths;
import dev.ferry.installer.host.InstallState;
import dev.ferry.installer.host.Releases;
import dev.ferry.installer.host.StateStore;
import dev.ferry.installer.service.NoneServiceManager;
import dev.ferry.installer.service.ServiceManager;
import dev.ferry.installer.service.ServiceManagerKind;
import dev.ferry.installer.service.ServiceSpec;
import dev.ferry.installer.service.ServiceState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A failed register or rollback says the old state is back (exit 7) only when it is; when the undo fails too, the
 * technician gets exit 1 and the next installer run finishes the undo.
 */
class UndoAfterFailureTest {
    private static final Instant T = KeptReleases.T;

    @TempDir
    Path root;

    /** Refuses the first {@code failures} restarts, like a service manager that cannot start the agent. */
    private static final class FlakyServiceManager implements ServiceManager {
        private final ServiceManager none = new NoneServiceManager();
        private int failures;

        FlakyServiceManager(int failures) {
            this.failures = failures;
        }

        @Override
        public void restart(ServiceSpec spec) {
            if (failures-- > 0) {
                throw new IllegalStateException("the service manager refused to start " + spec.name());
            }
        }

        @Override
        public ServiceManagerKind kind() {
            return none.kind();
        }

        @Override
        public Check check() {
            return none.check();
        }

        @Override
        public void install(ServiceSpec spec) {}

        @Override
        public void stop(ServiceSpec spec) {}

        @Override
        public ServiceState state(ServiceSpec spec) {
            return none.state(spec);
        }

        @Override
        public void uninstall(ServiceSpec spec) {}
    }

    @Test
    void registerSaysThePreviousTokenIsBackWhenTheUndoWorked() throws Exception {
        HostPaths paths = installed();
        Path newToken = Files.writeString(root.resolve("new-token"), "new-secret");

        FerryException e = catchThrowableOfType(
                () -> new Registration(setup(1)).run(register(newToken), paths), FerryException.class);

        assertThat(e.exitCode()).isEqualTo(ExitCode.ROLLED_BACK);
        assertThat(e.getMessage())
                .startsWith("register failed and the previous token is back: ")
                .contains("refused to start")
                .doesNotContain("new-secret");
        assertThat(paths.tokenFile()).hasContent("old-secret");
        assertThat(StateStore.read(paths).orElseThrow().pending()).isNull();
    }

    @Test
    void registerReportsAFailedUndoAndTheNextRunFinishesIt() throws Exception {
        HostPaths paths = installed();
        Path newToken = Files.writeString(root.resolve("new-token"), "new-secret");

        FerryException e = catchThrowableOfType(
                () -> new Registration(setup(2)).run(register(newToken), paths), FerryException.class);

        assertThat(e.exitCode()).isEqualTo(ExitCode.INTERNAL);
        assertThat(e.getMessage())
                .startsWith("register failed (")
                .contains("undoing it failed too", "the next installer run retries the undo")
                .doesNotContain("previous token is back");
        assertThat(StateStore.read(paths).orElseThrow().pending())
                .as("left for recovery")
                .isNotNull();

        List<String> notes = Recovery.recoverAll(context(0));

        assertThat(notes).singleElement().asString().contains("register");
        assertThat(paths.tokenFile()).hasContent("old-secret");
        assertThat(StateStore.read(paths).orElseThrow().pending()).isNull();
    }

    @Test
    void rollbackSaysWhichReleaseIsCurrentOnlyWhenItIs() throws Exception {
        HostPaths paths = installed();

        FerryException undone = catchThrowableOfType(
                () -> new Rollback(setup(1)).run(paths, SelfTestPolicy.SKIP), FerryException.class);
        assertThat(undone.exitCode()).isEqualTo(ExitCode.ROLLED_BACK);
        assertThat(undone.getMessage()).startsWith("rollback failed and 2.0-2 is current again: ");
        assertThat(Releases.current(paths)).contains("2.0-2");

        FerryException stuck = catchThrowableOfType(
                () -> new Rollback(setup(2)).run(paths, SelfTestPolicy.SKIP), FerryException.class);
        assertThat(stuck.exitCode()).isEqualTo(ExitCode.INTERNAL);
        assertThat(stuck.getMessage())
                .startsWith("rollback failed (")
                .contains("undoing it failed too")
                .doesNotContain("is current again");
        assertThat(StateStore.read(paths).orElseThrow().pending())
                .as("left for recovery")
                .isNotNull();

        Recovery.recoverAll(context(0));

        assertThat(Releases.current(paths)).contains("2.0-2");
        assertThat(StateStore.read(paths).orElseThrow().pending()).isNull();
    }

    private HostSetup setup(int failedRestarts) {
        return HostSetup.of(context(failedRestarts));
    }

    private HostContext context(int failedRestarts) {
        return new HostContext(
                new HostLayout(root.resolve("stage")),
                Clock.fixed(T, ZoneOffset.UTC),
                new FlakyServiceManager(failedRestarts),
                (profile, p) -> new CheckReport(List.of()));
    }

    private static RegisterRequest register(Path token) {
        return new RegisterRequest("bot", token, T.minusSeconds(60), T.plusSeconds(86_400), SelfTestPolicy.SKIP);
    }

    /** 2.0-2 current, 1.0-1 kept as previous, the token "old-secret" in place. */
    private HostPaths installed() throws Exception {
        HostPaths paths = new HostLayout(root.resolve("stage")).agent("bot");
        KeptReleases.release(paths, "1.0-1", "one");
        KeptReleases.release(paths, "2.0-2", "two");
        Releases.switchTo(paths, "2.0-2");
        Files.writeString(paths.tokenFile(), "old-secret");
        StateStore.write(
                paths,
                InstallState.empty("bot")
                        .committed(KeptReleases.record("2.0-2"), KeptReleases.record("1.0-1"), null, "none", null));
        return paths;
    }
}
