package dev.ferry.bundler.cli;

import dev.ferry.cli.Json;
import dev.ferry.cli.Terminal;
import dev.ferry.keys.KeyFiles;
import dev.ferry.keys.Passphrase;
import dev.ferry.keys.SigningKey;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bundler keys generate}: a new Ed25519 key pair; prints its key id on stdout. */
@Command(
        name = "generate",
        mixinStandardHelpOptions = true,
        description = {
            "Create a new Ed25519 key pair: DIR/NAME.key.pem (PKCS#8, encrypted, mode 0600) and"
                    + " DIR/NAME.pub.pem (mode 0644). Prints the key id. Never overwrites a file.",
            "A passphrase is required (--passphrase-file or env " + Passphrase.ENV_VAR + ") unless --no-passphrase."
        })
final class KeysGenerateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(
            names = "--name",
            required = true,
            paramLabel = "NAME",
            description = "File name stem: NAME.key.pem, NAME.pub.pem.")
    String name;

    @Option(
            names = "--out",
            required = true,
            paramLabel = "DIR",
            description = "Folder for the two files (created if missing).")
    Path outDir;

    @Mixin
    PassphraseOptions passphraseOptions;

    @Option(names = "--json", description = "Print {keyId, privateKey, publicKey, encrypted} as JSON.")
    boolean json;

    @Override
    public Integer call() {
        SigningKey key;
        boolean encrypted;
        try (Passphrase passphrase = passphraseOptions.resolve()) {
            char[] chars = passphrase.forNewKey();
            encrypted = chars != null;
            try {
                key = KeyFiles.generate(name, outDir, chars);
            } finally {
                if (chars != null) {
                    Arrays.fill(chars, '\0');
                }
            }
        }
        Path privateFile = KeyFiles.privateKeyFile(outDir, name);
        Path publicFile = KeyFiles.publicKeyFile(outDir, name);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (json) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("keyId", key.keyId());
            doc.put("privateKey", privateFile.toString());
            doc.put("publicKey", publicFile.toString());
            doc.put("encrypted", encrypted);
            Json.print(out, doc);
        } else {
            out.println(key.keyId());
            out.flush();
            err.println("Wrote " + privateFile + (encrypted ? " (encrypted, mode 0600)" : " (mode 0600)") + " and "
                    + publicFile + ".");
            if (!encrypted) {
                err.println(
                        Terminal.warn("The private key is NOT encrypted: anyone who reads the file can sign bundles."));
            }
            err.flush();
        }
        return 0;
    }
}
