package dev.ferry.bundler.cli;

import dev.ferry.bundle.trust.SignedTrust;
import dev.ferry.bundler.kit.InstallerImage;
import dev.ferry.bundler.kit.Kit;
import dev.ferry.bundler.kit.KitBuilder;
import dev.ferry.cli.Json;
import dev.ferry.common.FerryException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "kit",
        mixinStandardHelpOptions = true,
        description = {
            "Build the one file to carry across: NAME-VERSION-linux-x64.kit.run, a POSIX sh self-extractor holding the"
                    + " self-contained installer (trusting exactly the --trust keys) and the bundle, and its .sha256.",
            "On the isolated host: sh KIT.run install [installer flags] (no Java needed), or sh KIT.run extract DIR.",
            "The kit is written mode 0600: it holds the bundle's token and proxy password."
        })
public final class KitCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(
            names = "--bundle",
            required = true,
            paramLabel = "FILE",
            description = "The bundle to carry; it must verify against the --trust keys.")
    Path bundle;

    @Option(
            names = "--trust",
            paramLabel = "PUB",
            description = "A public key the kit's installer trusts (repeatable).")
    List<Path> trust = new ArrayList<>();

    @Option(
            names = "--trust-chain",
            paramLabel = "FILE",
            description =
                    "Embed this trust document (repeatable, from version 1): a host with no chain starts from it, and the"
                            + " bundle must meet its release threshold.")
    List<Path> trustChain = new ArrayList<>();

    @Option(
            names = "--out",
            paramLabel = "DIR",
            defaultValue = ".",
            description = "Where to write the kit (default: the current folder).")
    Path out;

    @Option(
            names = "--installer-image",
            paramLabel = "DIR",
            description =
                    "The self-contained installer image to pack (default: the one built beside this bundler, dist/target/images/installer).")
    Path installerImage;

    @Option(names = "--json", description = "Print the kit's path, size and sha256 as one JSON document.")
    boolean json;

    @Override
    public Integer call() {
        InstallerImage image = InstallerImage.locate(installerImage, System.getProperty(InstallerImage.PROPERTY));
        List<SignedTrust> chain = TrustChainFiles.readChain(trustChain);
        if (!chain.isEmpty() && chain.get(0).version() != 1) {
            throw FerryException.usage(
                    "--trust-chain: a kit embeds the whole chain, from version 1 (the first given is version "
                            + chain.get(0).version() + ")");
        }
        Kit kit = new KitBuilder(image, KitBuilder.verifier(Clock.systemUTC())).build(bundle, trust, chain, out);
        PrintWriter stdout = spec.commandLine().getOut();
        if (json) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("kit", kit.file().toString());
            doc.put("sha256File", kit.checksumFile().toString());
            doc.put("name", kit.name());
            doc.put("version", kit.version());
            doc.put("size", kit.size());
            doc.put("sha256", kit.sha256());
            doc.put("mode", "0600");
            Json.print(stdout, doc);
        } else {
            stdout.println(kit.file());
            stdout.println("  size    " + kit.size() + " bytes");
            stdout.println(
                    "  sha256  " + kit.sha256() + "  (" + kit.checksumFile().getFileName() + ")");
            stdout.println(
                    "  mode    0600: it holds the bundle's token and proxy password; copy it only to root-owned places");
            stdout.println("  on the isolated host: sh " + kit.file().getFileName() + " install [installer flags]");
            stdout.flush();
        }
        return 0;
    }
}
