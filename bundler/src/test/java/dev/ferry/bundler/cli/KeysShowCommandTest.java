package dev.ferry.bundler.cli;

import static dev.ferry.bundler.cli.KeysTestCli.bundler;
import static dev.ferry.bundler.cli.KeysTestCli.ok;
import static dev.ferry.bundler.cli.KeysTestCli.opensslKeyId;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.bundle.testing.JsonDocument;
import dev.ferry.bundler.cli.KeysTestCli.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeysShowCommandTest {
    /** Not ASCII: openssl and Ferry must both feed it to PBKDF2 as UTF-8. */
    private static final String SECRET = "correct horse bättery stäple";

    /** One pair of each kind for the whole class: an encrypted key costs a deliberately slow key derivation. */
    @TempDir
    static Path dir;

    private static Path pass;
    private static String encryptedId;
    private static String plainId;

    @BeforeAll
    static void keys() throws Exception {
        pass = Files.writeString(dir.resolve("pass"), SECRET + "\n");
        assertThat(bundler(
                                "keys",
                                "generate",
                                "--name",
                                "enc",
                                "--out",
                                dir.toString(),
                                "--passphrase-file",
                                pass.toString())
                        .exitCode())
                .isZero();
        assertThat(bundler("keys", "generate", "--name", "plain", "--out", dir.toString(), "--no-passphrase")
                        .exitCode())
                .isZero();
        encryptedId = opensslKeyId(dir.resolve("enc.pub.pem"));
        plainId = opensslKeyId(dir.resolve("plain.pub.pem"));
    }

    @Test
    void publicKeyAlwaysShowsItsId() {
        Run run = bundler("keys", "show", dir.resolve("enc.pub.pem").toString());
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("key id:    " + encryptedId, "algorithm: Ed25519", "type:      public key");
    }

    @Test
    void plainPrivateKeyNeedsNoPassphrase() {
        Run run = bundler("keys", "show", dir.resolve("plain.key.pem").toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("key id:    " + plainId, "type:      private key, NOT encrypted");
    }

    @Test
    void encryptedPrivateKeyWithoutPassphraseSaysSo() {
        Run run = bundler("keys", "show", dir.resolve("enc.key.pem").toString());
        assertThat(run.exitCode()).isZero();
        assertThat(run.out())
                .contains(
                        "key id:    encrypted (give the passphrase to show the key id)",
                        "type:      private key, encrypted")
                .doesNotContain(encryptedId);
    }

    @Test
    void encryptedPrivateKeyWithPassphraseFileOrEnvShowsItsId() {
        Run fromFile =
                bundler("keys", "show", dir.resolve("enc.key.pem").toString(), "--passphrase-file", pass.toString());
        assertThat(fromFile.exitCode()).as(fromFile.err()).isZero();
        assertThat(fromFile.out()).contains("key id:    " + encryptedId, "algorithm: Ed25519");

        Run fromEnv = bundler(
                Map.of("FERRY_KEY_PASSPHRASE", SECRET),
                "keys",
                "show",
                dir.resolve("enc.key.pem").toString());
        assertThat(fromEnv.out()).contains("key id:    " + encryptedId);
        assertThat(fromFile.all() + fromEnv.all()).doesNotContain(SECRET);
    }

    @Test
    void wrongPassphraseIsOneLineNamingTheFileExit2() {
        Path key = dir.resolve("enc.key.pem");
        Run run = bundler(Map.of("FERRY_KEY_PASSPHRASE", "wrong guess 42"), "keys", "show", key.toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err())
                .isEqualTo("bundler: " + key
                        + ": wrong passphrase (FERRY_KEY_PASSPHRASE): cannot decrypt the private key\n");
    }

    @Test
    void evenVerboseFailuresNeverPrintThePassphrase() {
        String guess = "my-wrong-guess-7f3a";
        Run run = bundler(
                Map.of("FERRY_KEY_PASSPHRASE", guess),
                "keys",
                "show",
                dir.resolve("enc.key.pem").toString(),
                "--verbose");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err())
                .contains("wrong passphrase")
                .contains("\tat ")
                .doesNotContain(guess)
                .doesNotContain(SECRET);
    }

    @Test
    void showsKeysThatOpensslMade() throws Exception {
        Path key = dir.resolve("openssl.key.pem");
        ok(
                "openssl",
                "genpkey",
                "-algorithm",
                "ed25519",
                "-aes-256-cbc",
                "-pass",
                "file:" + pass,
                "-out",
                key.toString());
        Path pub = dir.resolve("openssl.pub.pem");
        ok("openssl", "pkey", "-passin", "file:" + pass, "-in", key.toString(), "-pubout", "-out", pub.toString());

        Run run = bundler("keys", "show", key.toString(), "--passphrase-file", pass.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("key id:    " + opensslKeyId(pub));
    }

    @Test
    void jsonAndBadFiles() throws Exception {
        Run json = bundler("keys", "show", dir.resolve("enc.key.pem").toString(), "--json");
        var doc = JsonDocument.parse(json.out());
        assertThat(doc.get("private").asBoolean()).isTrue();
        assertThat(doc.get("encrypted").asBoolean()).isTrue();
        assertThat(doc.get("keyId").isNull()).isTrue();

        Path notAKey = Files.writeString(dir.resolve("notes.txt"), "hello");
        Run bad = bundler("keys", "show", notAKey.toString());
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).hasLineCount(1).startsWith("bundler: " + notAKey + ": not a PEM key file");
    }
}
