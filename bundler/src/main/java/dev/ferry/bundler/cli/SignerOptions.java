package dev.ferry.bundler.cli;

import dev.ferry.common.FerryException;
import dev.ferry.keys.CommandSigner;
import dev.ferry.keys.KeyFiles;
import dev.ferry.keys.Passphrase;
import dev.ferry.keys.Signer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * How every signing command of the bundler is told its keys (SPEC section 10): private-key files ({@code --key},
 * with the passphrase options) and/or external signers ({@code --sign-command CMD --sign-pub PUB}, paired in order),
 * so a key may stay in a hardware token.
 */
public final class SignerOptions {
    @Option(names = "--key", paramLabel = "KEY", description = "Private signing key file; repeat to sign with several.")
    List<Path> keys = new ArrayList<>();

    @Option(
            names = "--sign-command",
            paramLabel = "CMD",
            description =
                    "Sign by running CMD (sh -c): the bytes to sign on its stdin, the raw 64-byte Ed25519 signature on its stdout."
                            + " Pair each with --sign-pub; repeatable.")
    List<String> commands = new ArrayList<>();

    @Option(names = "--sign-pub", paramLabel = "PUB", description = "The public key of the matching --sign-command.")
    List<Path> commandKeys = new ArrayList<>();

    @Mixin
    PassphraseOptions passphrase;

    /** @param atMostOne for commands that add exactly one signature ({@code sign}, {@code trust sign}) */
    public List<Signer> resolve(boolean atMostOne) {
        if (commands.size() != commandKeys.size()) {
            throw FerryException.usage("--sign-command and --sign-pub come in pairs: got " + commands.size()
                    + " --sign-command and " + commandKeys.size() + " --sign-pub");
        }
        int total = keys.size() + commands.size();
        if (total == 0) {
            throw FerryException.usage("no signing key: give --key KEY or --sign-command CMD --sign-pub PUB");
        }
        if (atMostOne && total > 1) {
            throw FerryException.usage("one signature at a time: give one --key or one --sign-command");
        }
        List<Signer> signers = new ArrayList<>();
        if (!keys.isEmpty()) {
            try (Passphrase secret = passphrase.resolve()) {
                keys.forEach(k -> signers.add(KeyFiles.readPrivate(k, secret)));
            }
        }
        for (int i = 0; i < commands.size(); i++) {
            signers.add(CommandSigner.of(commands.get(i), commandKeys.get(i)));
        }
        return signers;
    }
}
