package dev.ferry.bundler.cli;

import dev.ferry.cli.Json;
import dev.ferry.keys.KeyFiles;
import dev.ferry.keys.KeyInfo;
import dev.ferry.keys.Passphrase;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code bundler keys show FILE}: key id, algorithm, private or public, encrypted or not. An encrypted private key
 * hides its key id until decrypted, so the id is shown only when a passphrase source is given.
 */
@Command(
        name = "show",
        mixinStandardHelpOptions = true,
        description = "Show a key file: key id, algorithm, whether it is private and encrypted."
                + " The key id of an encrypted private key needs the passphrase.")
final class KeysShowCommand implements Callable<Integer> {
    static final String ID_NEEDS_PASSPHRASE = "encrypted (give the passphrase to show the key id)";

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "A .key.pem or .pub.pem file.")
    Path file;

    @Mixin
    PassphraseOptions passphraseOptions;

    @Option(names = "--json", description = "Print {file, keyId, algorithm, private, encrypted} as JSON.")
    boolean json;

    @Override
    public Integer call() {
        KeyInfo info;
        try (Passphrase passphrase = passphraseOptions.resolve()) {
            info = KeyFiles.describe(file, passphrase);
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("file", info.file().toString());
            doc.put("keyId", info.keyIdOrNull());
            doc.put("algorithm", info.algorithm());
            doc.put("private", info.isPrivate());
            doc.put("encrypted", info.encrypted());
            Json.print(out, doc);
            return 0;
        }
        out.println("file:      " + info.file());
        out.println("key id:    " + (info.keyIdOrNull() != null ? info.keyIdOrNull() : ID_NEEDS_PASSPHRASE));
        out.println("algorithm: " + (info.algorithm() != null ? info.algorithm() : "unknown until decrypted"));
        out.println("type:      "
                + (!info.isPrivate()
                        ? "public key"
                        : info.encrypted() ? "private key, encrypted" : "private key, NOT encrypted"));
        out.flush();
        return 0;
    }
}
