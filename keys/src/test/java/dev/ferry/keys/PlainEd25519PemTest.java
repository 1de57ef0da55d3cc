package dev.ferry.keys;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JDK-only reading of the everyday key file: it must agree with openssl on the key, and leave every other kind
 * of file to the full parser (which words the errors and checks what this one does not).
 */
class PlainEd25519PemTest {
    @TempDir
    Path dir;

    @Test
    void readsTheKeyOpensslWroteAndSignsWhatOpensslVerifies() throws Exception {
        Path key = dir.resolve("o.key.pem");
        Path pub = dir.resolve("o.pub.pem");
        Openssl.ok("openssl", "genpkey", "-algorithm", "ed25519", "-out", key.toString());
        Openssl.ok("openssl", "pkey", "-in", key.toString(), "-pubout", "-out", pub.toString());

        SigningKey read = PlainEd25519Pem.read(key).orElseThrow();

        assertThat(read.keyId()).isEqualTo(Openssl.keyIdOf(pub));
        byte[] data = "manifest".getBytes(StandardCharsets.UTF_8);
        Path in = Files.write(dir.resolve("data"), data);
        Path sig = Files.write(dir.resolve("data.sig"), read.sign(data));
        assertThat(Openssl.ok(
                        "openssl",
                        "pkeyutl",
                        "-verify",
                        "-pubin",
                        "-inkey",
                        pub.toString(),
                        "-rawin",
                        "-in",
                        in.toString(),
                        "-sigfile",
                        sig.toString()))
                .contains("Signature Verified Successfully");
    }

    @Test
    void readsTheKeyFerryWritesWithoutAPassphraseAsTheFullParserDoes() throws Exception {
        KeyFiles.generate("plain", dir, null);
        Path key = dir.resolve("plain.key.pem");

        SigningKey fast = PlainEd25519Pem.read(key).orElseThrow();

        assertThat(fast.keyId())
                .isEqualTo(KeyFiles.describe(key, null).keyIdOrNull())
                .isEqualTo(Openssl.keyIdOf(dir.resolve("plain.pub.pem")));
    }

    @Test
    void leavesEverythingElseToTheFullParser() throws Exception {
        KeyFiles.generate("enc", dir, "a passphrase".toCharArray());
        Path rsa = dir.resolve("rsa.key.pem");
        Openssl.ok(
                "openssl", "genpkey", "-algorithm", "rsa", "-pkeyopt", "rsa_keygen_bits:1024", "-out", rsa.toString());
        Path plain = dir.resolve("plain.key.pem");
        Openssl.ok("openssl", "genpkey", "-algorithm", "ed25519", "-out", plain.toString());

        assertThat(PlainEd25519Pem.read(dir.resolve("enc.key.pem"))).isEmpty();
        assertThat(PlainEd25519Pem.read(dir.resolve("enc.pub.pem"))).isEmpty();
        assertThat(PlainEd25519Pem.read(rsa)).isEmpty();
        assertThat(PlainEd25519Pem.read(Files.writeString(
                        dir.resolve("two.key.pem"), Files.readString(plain) + Files.readString(plain))))
                .isEmpty();
        // Version 1 (PKCS#8 v2, which may carry the public key): the full parser checks that it matches.
        assertThat(PlainEd25519Pem.read(Files.writeString(
                        dir.resolve("v2.key.pem"), Files.readString(plain).replace("MC4CAQAw", "MC4CAQEw"))))
                .isEmpty();
        assertThat(PlainEd25519Pem.read(dir.resolve("missing.key.pem"))).isEmpty();
    }
}
