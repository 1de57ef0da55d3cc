package dev.ferry.installer.cli;

import dev.ferry.installer.transaction.RegisterRequest;
import dev.ferry.installer.transaction.Registration;
import dev.ferry.installer.transaction.SelfTestPolicy;
import dev.ferry.installer.trust.TokenRevocation;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "register",
        mixinStandardHelpOptions = true,
        description = {
            "Swap in a new registration token, restart and re-test; the old token comes back if the self-test fails.",
            "A JWT's window comes from its nbf/exp claims; an opaque token needs --not-after (and --not-before)."
        })
public final class RegisterCommand implements Callable<Integer> {
    @Mixin
    HostOptions host;

    @Spec
    CommandSpec spec;

    @Option(
            names = "--token",
            required = true,
            paramLabel = "FILE",
            description = "The new token issued by the platform.")
    Path token;

    @Option(
            names = "--not-before",
            paramLabel = "INSTANT",
            description = "Start of an opaque token's validity (ISO-8601).")
    Instant notBefore;

    @Option(
            names = "--not-after",
            paramLabel = "INSTANT",
            description = "End of an opaque token's validity (ISO-8601).")
    Instant notAfter;

    @Option(names = "--skip-selftest", description = "Do not run the self-tests after the restart.")
    boolean skipSelftest;

    @Option(names = "--json", description = "Print the outcome as one JSON document on stdout.")
    boolean json;

    @Override
    public Integer call() {
        HostRuntime rt = new HostRuntime(host);
        var paths = rt.requireAgent();
        TokenRevocation.refuseRevoked(rt.hostTrust(), token);
        var request =
                new RegisterRequest(paths.name(), token, notBefore, notAfter, SelfTestPolicy.of(skipSelftest, false));
        return OutcomePrinter.print(spec, new Registration(rt.setup(null)).run(request, paths), json);
    }
}
