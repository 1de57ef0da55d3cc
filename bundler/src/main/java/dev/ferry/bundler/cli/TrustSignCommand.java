package dev.ferry.bundler.cli;

import dev.ferry.bundle.trust.SignedTrust;
import dev.ferry.bundler.trust.TrustFiles;
import dev.ferry.cli.Terminal;
import dev.ferry.keys.Signer;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "sign",
        mixinStandardHelpOptions = true,
        description = "Adds one signature to a trust document, in place (each key holder on their own machine).")
public final class TrustSignCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "FILE")
    Path file;

    @Mixin
    SignerOptions signing;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        SignedTrust doc = SignedTrust.read(file);
        Signer signer = signing.resolve(true).get(0);
        SignedTrust signed = doc.withEnvelope(doc.envelope().signedBy(signer));
        TrustFiles.write(signed, file);
        if (!doc.document().root().keys().containsKey(signer.keyId())) {
            spec.commandLine()
                    .getErr()
                    .println(Terminal.warn(
                            "warning: " + signer.keyId() + " is not a root key of version " + doc.version()
                                    + "; its signature counts only as a root key of version " + (doc.version() - 1)));
        }
        spec.commandLine()
                .getOut()
                .println(file + ": signed by " + signer.keyId() + " ("
                        + signed.envelope().signatures().size() + " signature(s); bundler trust show " + file
                        + " tells which count)");
        return 0;
    }
}
