package dev.ferry.installer.cli;

import dev.ferry.bundle.Manifest;
import dev.ferry.bundle.TokenInfo;
import dev.ferry.common.ExitCode;
import dev.ferry.common.FerryException;
import dev.ferry.installer.check.CheckReport;
import dev.ferry.installer.host.HostPaths;
import dev.ferry.installer.host.InstallState;
import dev.ferry.installer.host.ReleaseManifest;
import dev.ferry.installer.host.StateStore;
import dev.ferry.installer.preflight.PreflightInput;
import dev.ferry.installer.preflight.PreflightVerdict;
import dev.ferry.profiles.Profile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "preflight",
        mixinStandardHelpOptions = true,
        description =
                "Run the host checks alone (OS, privileges, clock, disk, service manager, token window, bundle expiry, sequence). Changes nothing.")
public final class PreflightCommand implements Callable<Integer> {
    @Mixin
    HostOptions host;

    @Spec
    CommandSpec spec;

    @Option(
            names = "--bundle",
            paramLabel = "FILE",
            description = "Check for this bundle; without it, for the installed release.")
    Path bundle;

    @Option(
            names = "--trust",
            paramLabel = "PUB",
            description =
                    "A trusted public key (repeatable), besides <root>/etc/ferry/trust.d/*.pub.pem: the bundle's signatures are checked before anything it says is used.")
    List<Path> trust = new ArrayList<>();

    @Option(
            names = "--allow-downgrade",
            description = "Accept a bundle with a lower sequence than installed (a warning).")
    boolean allowDowngrade;

    @Option(names = "--json", description = "Print {\"checks\":[...]} on stdout.")
    boolean json;

    @Override
    public Integer call() {
        HostRuntime rt = new HostRuntime(host);
        PreflightInput input;
        if (bundle != null) {
            // The head verified first: a forged manifest's endpoint is never connected to. Judged in memory only
            // (carried trust documents are not kept): preflight changes nothing.
            Manifest m = rt.verifier(trust, false).verifyHead(bundle).manifest();
            HostPaths paths = rt.layout().agent(m.name());
            InstallState state =
                    StateStore.read(paths).filter(s -> s.current() != null).orElse(null);
            input = new PreflightInput(ReleaseManifest.profile(m), m, paths, state, m.token(), allowDowngrade);
        } else {
            input = installedInput(rt.requireAgent());
        }
        CheckReport report =
                rt.preflight(rt.serviceManager(input.paths().name())).run(input);
        ExitCode exit = PreflightVerdict.exitCode(report);
        if (json) {
            ReportJson.print(
                    spec.commandLine().getOut(),
                    report,
                    exit,
                    PreflightVerdict.reason(report),
                    report.passed() ? null : PreflightVerdict.summary(report));
        } else {
            CheckTable.print(spec.commandLine().getOut(), "preflight", report);
        }
        return exit.code();
    }

    /** Preflight of the installed release: its profile, its token and its sequence. */
    static PreflightInput installedInput(HostPaths paths) {
        InstallState state = StateStore.read(paths)
                .filter(s -> s.current() != null)
                .orElseThrow(
                        () -> FerryException.usage(paths.name() + " is not installed: run preflight --bundle FILE"));
        Profile profile = ReleaseManifest.profile(
                ReleaseManifest.read(paths.release(state.current().release())));
        InstallState.TokenRecord t = state.token();
        TokenInfo token = t == null ? null : new TokenInfo(t.id(), t.notBefore(), t.notAfter(), null);
        return new PreflightInput(profile, null, paths, state, token, false);
    }
}
