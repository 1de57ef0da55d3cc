package dev.ferry.installer.cli;

import dev.ferry.common.ExitCode;
import dev.ferry.common.FerryException;
import dev.ferry.common.Reason;
import dev.ferry.installer.check.CheckReport;
import dev.ferry.installer.host.InstallState;
import dev.ferry.installer.host.ReleaseManifest;
import dev.ferry.installer.host.StateStore;
import dev.ferry.installer.transaction.SelfTestRecorder;
import dev.ferry.profiles.Profile;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "selftest",
        mixinStandardHelpOptions = true,
        description = "Run the connectivity self-tests of the installed profile (exit 5 on failure).")
public final class SelftestCommand implements Callable<Integer> {
    @Mixin
    HostOptions host;

    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "Print {\"checks\":[...]} on stdout.")
    boolean json;

    @Option(
            names = "--timeout",
            paramLabel = "S",
            description = "One timeout in seconds for every check (default: the profile's, else 5).")
    Integer timeoutSeconds;

    @Override
    public Integer call() {
        HostRuntime rt = new HostRuntime(host);
        var paths = rt.requireAgent();
        InstallState state = StateStore.read(paths)
                .filter(s -> s.current() != null)
                .orElseThrow(() -> FerryException.usage(paths.name() + " is not installed"));
        Profile profile = ReleaseManifest.profile(
                ReleaseManifest.read(paths.release(state.current().release())));
        CheckReport report = rt.connectivity(timeoutSeconds == null ? null : Duration.ofSeconds(timeoutSeconds))
                .selfTest(profile, paths);
        SelfTestRecorder.record(rt.layout(), paths, report, rt.clock());
        ExitCode exit = report.passed() ? ExitCode.OK : ExitCode.SELFTEST;
        if (json) {
            ReportJson.print(
                    spec.commandLine().getOut(),
                    report,
                    exit,
                    Reason.SELFTEST_FAILED,
                    "self-tests failed: "
                            + String.join(
                                    ", ",
                                    report.failures().stream()
                                            .map(c -> c.id()
                                                    + (c.cause() == null
                                                            ? ""
                                                            : " (" + c.cause().id() + ")"))
                                            .toList()));
        } else {
            CheckTable.print(spec.commandLine().getOut(), "self-tests", report);
        }
        return exit.code();
    }
}
