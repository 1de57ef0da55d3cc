package dev.ferry.bundler.cli;

import static dev.ferry.bundler.cli.KeysTestCli.bundler;
import static dev.ferry.bundler.cli.KeysTestCli.ok;
import static dev.ferry.bundler.cli.KeysTestCli.opensslKeyId;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.bundle.testing.JsonDocument;
import dev.ferry.bundler.cli.KeysTestCli.Run;
import dev.ferry.keys.KeyFiles;
import dev.ferry.keys.Passphrase;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeysGenerateCommandTest {
    private static final String SECRET = "s3cret passphrase, not for output";

    @TempDir
    Path dir;

    private Path passFile() throws Exception {
        return Files.writeString(dir.resolve("pass.txt"), SECRET + "\n");
    }

    @Test
    void withPassphraseFileWritesAnEncryptedPairAndPrintsTheOpensslKeyId() throws Exception {
        Path pass = passFile();
        Run run = bundler(
                "keys",
                "generate",
                "--name",
                "release",
                "--out",
                dir.resolve("keys").toString(),
                "--passphrase-file",
                pass.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        Path privateFile = dir.resolve("keys/release.key.pem");
        Path publicFile = dir.resolve("keys/release.pub.pem");
        assertThat(run.out()).isEqualTo(opensslKeyId(publicFile) + "\n");
        assertThat(Files.readString(privateFile)).startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----");
        ok("openssl", "pkey", "-passin", "file:" + pass, "-in", privateFile.toString(), "-noout");
        assertThat(ok("openssl", "asn1parse", "-in", privateFile.toString()))
                .contains(":PBES2", ":PBKDF2", ":hmacWithSHA256", ":aes-256-cbc");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(privateFile)))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(publicFile)))
                .isEqualTo("rw-r--r--");
        assertThat(run.all()).doesNotContain(SECRET);
    }

    @Test
    void passphraseMayComeFromTheEnvironment() throws Exception {
        Run run = bundler(
                Map.of("FERRY_KEY_PASSPHRASE", SECRET), "keys", "generate", "--name", "env", "--out", dir.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        Path privateFile = dir.resolve("env.key.pem");
        ok("openssl", "pkey", "-passin", "file:" + passFile(), "-in", privateFile.toString(), "-noout");
        assertThat(run.all()).doesNotContain(SECRET);
    }

    @Test
    void noPassphraseWritesAPlainPkcs8KeyThatOpensslReadsAndWarns() throws Exception {
        Run run = bundler(
                Map.of("FERRY_KEY_PASSPHRASE", SECRET),
                "keys",
                "generate",
                "--name",
                "ci",
                "--out",
                dir.toString(),
                "--no-passphrase");

        assertThat(run.exitCode()).as(run.err()).isZero();
        Path privateFile = dir.resolve("ci.key.pem");
        assertThat(Files.readString(privateFile)).startsWith("-----BEGIN PRIVATE KEY-----");
        ok("openssl", "pkey", "-in", privateFile.toString(), "-noout");
        assertThat(run.out().strip()).isEqualTo(opensslKeyId(dir.resolve("ci.pub.pem")));
        assertThat(run.err()).contains("NOT encrypted");
    }

    @Test
    void withoutAnyPassphraseSourceItRefusesAndWritesNothing() {
        Run run = bundler("keys", "generate", "--name", "k", "--out", dir.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err())
                .isEqualTo("bundler: no passphrase: give --passphrase-file F, set FERRY_KEY_PASSPHRASE,"
                        + " or --no-passphrase for an unencrypted key\n");
        assertThat(dir.resolve("k.key.pem")).doesNotExist();
        assertThat(dir.resolve("k.pub.pem")).doesNotExist();
    }

    @Test
    void emptyPassphraseAndBothFlagsAreRefused() throws Exception {
        Path empty = Files.writeString(dir.resolve("empty.txt"), "\n");
        Run run = bundler(
                "keys", "generate", "--name", "k", "--out", dir.toString(), "--passphrase-file", empty.toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains(empty.toString()).contains("empty");

        Run emptyEnv =
                bundler(Map.of("FERRY_KEY_PASSPHRASE", ""), "keys", "generate", "--name", "k", "--out", dir.toString());
        assertThat(emptyEnv.exitCode()).isEqualTo(2);
        assertThat(emptyEnv.err()).contains("FERRY_KEY_PASSPHRASE").contains("empty");

        Run both = bundler(
                "keys",
                "generate",
                "--name",
                "k",
                "--out",
                dir.toString(),
                "--passphrase-file",
                passFile().toString(),
                "--no-passphrase");
        assertThat(both.exitCode()).isEqualTo(2);
        assertThat(dir.resolve("k.key.pem")).doesNotExist();
    }

    @Test
    void onlyTheFirstLineOfThePassphraseFileCounts() throws Exception {
        Path pass = Files.writeString(dir.resolve("pass.txt"), SECRET + "\r\nsecond line\n");
        assertThat(bundler(
                                "keys",
                                "generate",
                                "--name",
                                "k",
                                "--out",
                                dir.toString(),
                                "--passphrase-file",
                                pass.toString())
                        .exitCode())
                .isZero();
        ok(
                "openssl",
                "pkey",
                "-passin",
                "pass:" + SECRET,
                "-in",
                dir.resolve("k.key.pem").toString(),
                "-noout");
    }

    @Test
    void neverOverwritesAnExistingKeyFile() throws Exception {
        Path existing = Files.writeString(dir.resolve("prod.key.pem"), "the only copy of the production key");
        Run run = bundler("keys", "generate", "--name", "prod", "--out", dir.toString(), "--no-passphrase");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).hasLineCount(1).contains(existing.toString()).contains("already exists");
        assertThat(existing).hasContent("the only copy of the production key");
        assertThat(dir.resolve("prod.pub.pem")).doesNotExist();
    }

    @Test
    void missingPassphraseFileIsAUsageErrorNamingIt() {
        Path absent = dir.resolve("absent.txt");
        Run run = bundler(
                "keys", "generate", "--name", "k", "--out", dir.toString(), "--passphrase-file", absent.toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("bundler: " + absent + ": no such passphrase file\n");
    }

    @Test
    void jsonPrintsOneDocument() throws Exception {
        Run run = bundler("keys", "generate", "--name", "j", "--out", dir.toString(), "--no-passphrase", "--json");
        assertThat(run.exitCode()).isZero();
        var doc = JsonDocument.parse(run.out());
        assertThat(doc.get("keyId").asText()).isEqualTo(opensslKeyId(dir.resolve("j.pub.pem")));
        assertThat(doc.get("privateKey").asText())
                .isEqualTo(dir.resolve("j.key.pem").toString());
        assertThat(doc.get("encrypted").asBoolean()).isFalse();
    }

    @Test
    void missingNameOrSubcommandIsAUsageError() {
        assertThat(bundler("keys", "generate", "--out", dir.toString(), "--no-passphrase")
                        .exitCode())
                .isEqualTo(2);
        Run bare = bundler("keys");
        assertThat(bare.exitCode()).isEqualTo(2);
        assertThat(bare.err()).contains("generate or show");
    }

    @Test
    void theSignatureOfTheReadBackKeyVerifiesWithOpenssl() throws Exception {
        Path pass = passFile();
        bundler("keys", "generate", "--name", "s", "--out", dir.toString(), "--passphrase-file", pass.toString());
        try (var passphrase = Passphrase.fromFile(pass)) {
            var key = KeyFiles.readPrivate(dir.resolve("s.key.pem"), passphrase);
            byte[] data = "manifest".getBytes(StandardCharsets.UTF_8);
            Path in = Files.write(dir.resolve("m.json"), data);
            Path sig = Files.write(dir.resolve("m.sig"), key.sign(data));
            assertThat(ok(
                            "openssl",
                            "pkeyutl",
                            "-verify",
                            "-pubin",
                            "-inkey",
                            dir.resolve("s.pub.pem").toString(),
                            "-rawin",
                            "-in",
                            in.toString(),
                            "-sigfile",
                            sig.toString()))
                    .contains("Signature Verified Successfully");
        }
    }
}
