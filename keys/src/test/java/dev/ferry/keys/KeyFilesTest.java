package dev.ferry.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.common.ExitCode;
import dev.ferry.common.FerryException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyFilesTest {
    private static final String SECRET = "tr0ub4dor&3 horse";

    @TempDir
    Path dir;

    private Path passFile(String content) throws Exception {
        Path file = dir.resolve("pass-" + content.hashCode());
        Files.writeString(file, content);
        return file;
    }

    private static Passphrase secret() {
        return Passphrase.of(SECRET.toCharArray(), "test");
    }

    @Test
    void encryptedKeyIsPbes2Pbkdf2Sha256Aes256ThatOpensslReads() throws Exception {
        SigningKey key = KeyFiles.generate("ops", dir, SECRET.toCharArray());
        Path privateFile = dir.resolve("ops.key.pem");

        assertThat(Files.readString(privateFile)).startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----\n");
        Openssl.ok(
                "openssl",
                "pkey",
                "-passin",
                "file:" + passFile(SECRET + "\n"),
                "-in",
                privateFile.toString(),
                "-noout");
        String asn1 = Openssl.ok("openssl", "asn1parse", "-in", privateFile.toString());
        assertThat(asn1)
                .contains(":PBES2", ":PBKDF2", ":hmacWithSHA256", ":aes-256-cbc")
                .contains("INTEGER           :0F4240"); // 1,000,000 PBKDF2 iterations
        assertThat(Openssl.run("openssl", "pkey", "-passin", "pass:not-it", "-in", privateFile.toString(), "-noout")
                        .exitCode())
                .as("openssl refuses a wrong passphrase too")
                .isNotZero();

        String opensslPublic =
                Openssl.ok("openssl", "pkey", "-passin", "pass:" + SECRET, "-in", privateFile.toString(), "-pubout");
        assertThat(opensslPublic).isEqualTo(Files.readString(dir.resolve("ops.pub.pem")));
        assertThat(key.keyId()).isEqualTo(Openssl.keyIdOf(dir.resolve("ops.pub.pem")));
    }

    @Test
    void plainKeyWithoutPassphraseIsPkcs8ThatOpensslReads() throws Exception {
        SigningKey key = KeyFiles.generate("plain", dir, null);
        Path privateFile = dir.resolve("plain.key.pem");
        assertThat(Files.readString(privateFile)).startsWith("-----BEGIN PRIVATE KEY-----\n");
        Openssl.ok("openssl", "pkey", "-in", privateFile.toString(), "-noout");
        assertThat(KeyFiles.readPrivate(privateFile, Passphrase.unset()).keyId())
                .isEqualTo(key.keyId());
    }

    @Test
    void filesAreWrittenPrivate0600AndPublic0644() throws Exception {
        KeyFiles.generate("modes", dir, SECRET.toCharArray());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("modes.key.pem"))))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("modes.pub.pem"))))
                .isEqualTo("rw-r--r--");
    }

    @Test
    void readBackKeySignsWhatOpensslVerifiesWithThePublicFile() throws Exception {
        KeyFiles.generate("signer", dir, SECRET.toCharArray());
        SigningKey key = KeyFiles.readPrivate(dir.resolve("signer.key.pem"), secret());

        byte[] data = "{\"format\":\"ferry-bundle/1\"}".getBytes(StandardCharsets.UTF_8);
        Path manifest = Files.write(dir.resolve("manifest.json"), data);
        Path sig = Files.write(dir.resolve(key.keyId() + ".sig"), key.sign(data));
        assertThat(Openssl.ok(
                        "openssl",
                        "pkeyutl",
                        "-verify",
                        "-pubin",
                        "-inkey",
                        dir.resolve("signer.pub.pem").toString(),
                        "-rawin",
                        "-in",
                        manifest.toString(),
                        "-sigfile",
                        sig.toString()))
                .contains("Signature Verified Successfully");
        assertThat(key.keyId()).isEqualTo(Openssl.keyIdOf(dir.resolve("signer.pub.pem")));
    }

    @Test
    void readsKeysThatOpensslMade() throws Exception {
        Path encrypted = dir.resolve("o-enc.key.pem");
        Path plain = dir.resolve("o-plain.key.pem");
        Openssl.ok(
                "openssl",
                "genpkey",
                "-algorithm",
                "ed25519",
                "-aes-256-cbc",
                "-pass",
                "pass:" + SECRET,
                "-out",
                encrypted.toString());
        Openssl.ok("openssl", "genpkey", "-algorithm", "ed25519", "-out", plain.toString());
        Openssl.ok(
                "openssl",
                "pkey",
                "-passin",
                "pass:" + SECRET,
                "-in",
                encrypted.toString(),
                "-pubout",
                "-out",
                dir.resolve("o-enc.pub.pem").toString());
        Openssl.ok(
                "openssl",
                "pkey",
                "-in",
                plain.toString(),
                "-pubout",
                "-out",
                dir.resolve("o-plain.pub.pem").toString());

        assertThat(KeyFiles.readPrivate(encrypted, secret()).keyId())
                .isEqualTo(Openssl.keyIdOf(dir.resolve("o-enc.pub.pem")));
        assertThat(KeyFiles.readPrivate(plain, Passphrase.unset()).keyId())
                .isEqualTo(Openssl.keyIdOf(dir.resolve("o-plain.pub.pem")));
    }

    @Test
    void readsScryptAndSha512KeysThatOpensslConverted() throws Exception {
        Path plain = dir.resolve("plain.key.pem");
        Openssl.ok("openssl", "genpkey", "-algorithm", "ed25519", "-out", plain.toString());
        Openssl.ok(
                "openssl",
                "pkey",
                "-in",
                plain.toString(),
                "-pubout",
                "-out",
                dir.resolve("plain.pub.pem").toString());
        String id = Openssl.keyIdOf(dir.resolve("plain.pub.pem"));

        Path scrypt = dir.resolve("scrypt.key.pem");
        Openssl.ok(
                "openssl",
                "pkcs8",
                "-topk8",
                "-scrypt",
                "-in",
                plain.toString(),
                "-passout",
                "pass:" + SECRET,
                "-out",
                scrypt.toString());
        Path sha512 = dir.resolve("sha512.key.pem");
        Openssl.ok(
                "openssl",
                "pkcs8",
                "-topk8",
                "-v2",
                "aes-128-cbc",
                "-v2prf",
                "hmacWithSHA512",
                "-in",
                plain.toString(),
                "-passout",
                "pass:" + SECRET,
                "-out",
                sha512.toString());

        assertThat(KeyFiles.readPrivate(scrypt, secret()).keyId()).isEqualTo(id);
        assertThat(KeyFiles.readPrivate(sha512, secret()).keyId()).isEqualTo(id);
        assertThatThrownBy(() -> KeyFiles.readPrivate(scrypt, Passphrase.of("nope".toCharArray(), "test")))
                .hasMessage(scrypt + ": wrong passphrase (test): cannot decrypt the private key");
    }

    @Test
    void wrongPassphraseIsOneUsageLineNamingTheFileAndNotThePassphrase() throws Exception {
        KeyFiles.generate("locked", dir, SECRET.toCharArray());
        Path file = dir.resolve("locked.key.pem");
        assertThatThrownBy(() ->
                        KeyFiles.readPrivate(file, Passphrase.of("guess-123".toCharArray(), "FERRY_KEY_PASSPHRASE")))
                .isInstanceOf(FerryException.class)
                .satisfies(e -> assertThat(((FerryException) e).exitCode()).isEqualTo(ExitCode.USAGE))
                .hasMessage(file + ": wrong passphrase (FERRY_KEY_PASSPHRASE): cannot decrypt the private key");
    }

    @Test
    void encryptedKeyWithoutAPassphraseSourceIsRefusedNamingTheFile() throws Exception {
        KeyFiles.generate("locked", dir, SECRET.toCharArray());
        Path file = dir.resolve("locked.key.pem");
        assertThatThrownBy(() -> KeyFiles.readPrivate(file, Passphrase.unset()))
                .hasMessageStartingWith(file + ": the private key is encrypted and there is no passphrase");
        assertThatThrownBy(() -> KeyFiles.readPrivate(file, Passphrase.none())).hasMessageContaining("--no-passphrase");
    }

    @Test
    void neverOverwritesAndLeavesNoHalfPair() throws Exception {
        Path existingPublic = Files.writeString(dir.resolve("taken.pub.pem"), "keep me");
        assertThatThrownBy(() -> KeyFiles.generate("taken", dir, null))
                .isInstanceOf(FerryException.class)
                .hasMessageContaining(existingPublic.toString())
                .hasMessageContaining("already exists");
        assertThat(dir.resolve("taken.key.pem")).doesNotExist();
        assertThat(existingPublic).hasContent("keep me");

        SigningKey first = KeyFiles.generate("once", dir, null);
        String before = Files.readString(dir.resolve("once.key.pem"));
        assertThatThrownBy(() -> KeyFiles.generate("once", dir, null)).hasMessageContaining("once.key.pem");
        assertThat(Files.readString(dir.resolve("once.key.pem"))).isEqualTo(before);
        assertThat(KeyFiles.readPrivate(dir.resolve("once.key.pem"), Passphrase.unset())
                        .keyId())
                .isEqualTo(first.keyId());
    }

    @Test
    void createsTheOutputFolderAndRefusesNamesThatArePaths() throws Exception {
        KeyFiles.generate("k", dir.resolve("a/b"), null);
        assertThat(dir.resolve("a/b/k.key.pem")).exists();
        assertThatThrownBy(() -> KeyFiles.generate("../escape", dir, null)).hasMessageContaining("--name");
        assertThat(dir.getParent().resolve("escape.key.pem")).doesNotExist();
    }

    @Test
    void describeTellsPublicPlainAndEncryptedApart() throws Exception {
        SigningKey enc = KeyFiles.generate("enc", dir, SECRET.toCharArray());
        SigningKey plain = KeyFiles.generate("plain", dir, null);

        assertThat(KeyFiles.describe(dir.resolve("enc.pub.pem"), null))
                .isEqualTo(new KeyInfo(dir.resolve("enc.pub.pem"), "Ed25519", false, false, enc.keyId()));
        assertThat(KeyFiles.describe(dir.resolve("plain.key.pem"), null))
                .isEqualTo(new KeyInfo(dir.resolve("plain.key.pem"), "Ed25519", true, false, plain.keyId()));
        assertThat(KeyFiles.describe(dir.resolve("enc.key.pem"), Passphrase.unset()))
                .isEqualTo(new KeyInfo(dir.resolve("enc.key.pem"), null, true, true, null));
        assertThat(KeyFiles.describe(dir.resolve("enc.key.pem"), secret()))
                .isEqualTo(new KeyInfo(dir.resolve("enc.key.pem"), "Ed25519", true, true, enc.keyId()));
    }

    @Test
    void otherAlgorithmsAndNonKeysAreUsageErrorsNamingTheFile() throws Exception {
        Path ed448 = dir.resolve("ed448.key.pem");
        Openssl.ok("openssl", "genpkey", "-algorithm", "ed448", "-out", ed448.toString());
        assertThatThrownBy(() -> KeyFiles.readPrivate(ed448, Passphrase.unset()))
                .hasMessage(ed448 + ": Ed448 key: Ferry signs with Ed25519 keys only");

        Path garbage = Files.writeString(
                dir.resolve("garbage.pem"), "-----BEGIN PRIVATE KEY-----\n!!!!\n-----END PRIVATE KEY-----\n");
        assertThatThrownBy(() -> KeyFiles.describe(garbage, null))
                .isInstanceOf(FerryException.class)
                .hasMessageStartingWith(garbage + ": ");
        Path text = Files.writeString(dir.resolve("notes.txt"), "hello");
        assertThatThrownBy(() -> KeyFiles.describe(text, null)).hasMessageStartingWith(text + ": not a PEM key file");
        assertThatThrownBy(() -> KeyFiles.readPrivate(dir.resolve("absent.key.pem"), Passphrase.unset()))
                .hasMessage(dir.resolve("absent.key.pem") + ": no such key file");
        KeyFiles.generate("pub", dir, null);
        assertThatThrownBy(() -> KeyFiles.readPrivate(dir.resolve("pub.pub.pem"), Passphrase.unset()))
                .hasMessageContaining("a public key");
    }
}
