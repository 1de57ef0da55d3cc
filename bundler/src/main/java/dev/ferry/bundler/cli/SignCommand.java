package dev.ferry.bundler.cli;

import dev.ferry.bundle.BundleHeads;
import dev.ferry.keys.Signer;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "sign",
        mixinStandardHelpOptions = true,
        description =
                "Adds one signature to an existing bundle, in place unless --out is given. The manifest and payload"
                        + " bytes stay identical: only the signatures change.")
public final class SignCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "BUNDLE")
    Path bundle;

    @Option(names = "--out", paramLabel = "FILE", description = "Write the signed bundle here instead of in place.")
    Path out;

    @Mixin
    SignerOptions signing;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Signer signer = signing.resolve(true).get(0);
        Path target = out != null ? out : bundle;
        BundleHeads.Head head = BundleHeads.sign(bundle, signer, target);
        spec.commandLine()
                .getOut()
                .println(target + ": signed by " + signer.keyId() + "; key ids: "
                        + String.join(", ", head.signerKeyIds()));
        return 0;
    }
}
