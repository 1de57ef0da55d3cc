package dev.ferry.installer.cli;

import dev.ferry.bundle.ManifestWarmUp;
import dev.ferry.cli.FerryCli;
import dev.ferry.cli.VerboseOption;
import dev.ferry.cli.VersionProvider;
import dev.ferry.installer.transaction.TestHooks;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code installer}: the isolated side. Holds only trusted public keys. */
@Command(
        name = InstallerMain.NAME,
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Install, check, repair and report an agent from a signed Ferry bundle, offline.",
        subcommands = {
            VerifyCommand.class,
            PreflightCommand.class,
            InstallCommand.class,
            RollbackCommand.class,
            ReinstallCommand.class,
            RegisterCommand.class,
            SelftestCommand.class,
            StatusCommand.class,
            UninstallCommand.class,
            DiagnoseCommand.class,
            TrustCommand.class
        })
public final class InstallerMain {
    static final String NAME = "installer";

    @Mixin
    VerboseOption verbose;

    public static void main(String[] args) {
        // A loop, not forEach(System.err::println): a method reference's first call costs a few ms of start-up.
        for (String line : TestHooks.current().announcements()) {
            System.err.println(line);
        }
        if (args.length > 0 && InstallCommand.NAME.equals(args[0])) {
            // An install judges a bundle's head right after the command line and the lock (0.1 s): warm up meanwhile.
            // Called again where the install begins, for an install written with options before the command.
            ManifestWarmUp.startInBackground();
        }
        System.exit(FerryCli.run(NAME, new InstallerMain(), args));
    }
}
