package dev.ferry.bundler.cli;

import dev.ferry.keys.Passphrase;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import picocli.CommandLine.Option;

/**
 * The private-key passphrase options of {@code bundler keys generate}, {@code keys show} and {@code create}:
 * {@code --passphrase-file F} or env {@value Passphrase#ENV_VAR}, or {@code --no-passphrase}. Without any, an
 * unencrypted key still works; {@link Passphrase} refuses where a passphrase is needed.
 */
public final class PassphraseOptions {
    /** The environment the commands read: the process's own, or a map a test puts in. */
    private static volatile Supplier<Map<String, String>> environment = System::getenv;

    @Option(
            names = "--passphrase-file",
            paramLabel = "FILE",
            description = "Private-key passphrase: the first line of FILE. Else env " + Passphrase.ENV_VAR + ".")
    Path passphraseFile;

    @Option(
            names = "--no-passphrase",
            description =
                    "No passphrase: new private keys are written unencrypted; " + Passphrase.ENV_VAR + " is ignored.")
    boolean noPassphrase;

    /** Call in a try-with-resources: closing wipes the passphrase. */
    public Passphrase resolve() {
        return Passphrase.resolve(passphraseFile, noPassphrase, environment.get());
    }

    /** For tests: the commands read {@code env} instead of the process environment until {@link #useProcessEnvironment()}. */
    static void useEnvironment(Map<String, String> env) {
        Map<String, String> copy = Map.copyOf(Objects.requireNonNull(env));
        environment = () -> copy;
    }

    static void useProcessEnvironment() {
        environment = System::getenv;
    }
}
