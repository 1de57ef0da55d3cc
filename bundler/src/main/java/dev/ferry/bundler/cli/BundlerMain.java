package dev.ferry.bundler.cli;

import dev.ferry.cli.FerryCli;
import dev.ferry.cli.VerboseOption;
import dev.ferry.cli.VersionProvider;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code bundler}: the connected side. Holds the signing keys and turns profiles into signed bundles. */
@Command(
        name = BundlerMain.NAME,
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Build signed, reproducible offline bundles of an agent for isolated networks.",
        subcommands = {
            KeysCommand.class,
            ProfileCommand.class,
            CreateCommand.class,
            InspectCommand.class,
            DiffCommand.class,
            VerifyCommand.class,
            SplitCommand.class,
            KitCommand.class,
            SignCommand.class,
            TrustCommand.class
        })
public final class BundlerMain {
    static final String NAME = "bundler";

    @Mixin
    VerboseOption verbose;

    public static void main(String[] args) {
        System.exit(FerryCli.run(NAME, new BundlerMain(), args));
    }
}
