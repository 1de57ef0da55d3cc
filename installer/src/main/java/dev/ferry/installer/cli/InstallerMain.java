package dev.ferry.installer.cli;

import dev.ferry.cli.FerryCli;
import dev.ferry.cli.VerboseOption;
import dev.ferry.cli.VersionProvider;
import dev.ferry.installer.transaction.TestHooks;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code installer}: the isolated side. Holds only trusted public keys. */
@Command(
        name = "installer",
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
    @Mixin
    VerboseOption verbose;

    public static void main(String[] args) {
        TestHooks.current().announcements().forEach(System.err::println);
        System.exit(FerryCli.run(new InstallerMain(), args));
    }
}
