package dev.ferry.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.common.ExitCode;
import dev.ferry.common.FerryException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --sign-command}: a real external signer (stock openssl holding the key in a file it alone reads), and the
 * ways a signer command goes wrong, each caught before its signature is used.
 */
class CommandSignerTest {
    @TempDir
    Path dir;

    private Path pub;
    private Path key;

    @BeforeEach
    void opensslKey() throws Exception {
        key = dir.resolve("hsm.key.pem");
        pub = dir.resolve("hsm.pub.pem");
        Openssl.ok("openssl", "genpkey", "-algorithm", "ed25519", "-out", key.toString());
        Openssl.ok("openssl", "pkey", "-in", key.toString(), "-pubout", "-out", pub.toString());
    }

    private String opensslSigner(Path keyFile) {
        return "f=$(mktemp) && cat > \"$f\" && openssl pkeyutl -sign -inkey '" + keyFile
                + "' -rawin -in \"$f\"; s=$?; rm -f \"$f\"; exit $s";
    }

    @Test
    void signsThroughTheCommandAndTheSignatureVerifies() throws Exception {
        CommandSigner signer = CommandSigner.of(opensslSigner(key), pub);
        byte[] message = "x".repeat(3000).getBytes(StandardCharsets.US_ASCII);
        byte[] sig = signer.sign(message);
        assertThat(Signatures.verify(PublicKeys.read(pub), message, sig)).isTrue();
        assertThat(signer.keyId()).isEqualTo(Openssl.keyIdOf(pub));
    }

    @Test
    void aCommandSigningWithAnotherKeyIsRefused() throws Exception {
        Path other = dir.resolve("other.key.pem");
        Openssl.ok("openssl", "genpkey", "-algorithm", "ed25519", "-out", other.toString());
        CommandSigner signer = CommandSigner.of(opensslSigner(other), pub);
        assertThatThrownBy(() -> signer.sign(new byte[10]))
                .isInstanceOf(FerryException.class)
                .hasMessageContaining("does not verify with " + pub)
                .extracting(e -> ((FerryException) e).exitCode())
                .isEqualTo(ExitCode.USAGE);
    }

    @Test
    void aCommandSigningOnlyAPrefixIsRefused() {
        String prefixOnly = "head -c 1024 > " + dir.resolve("part")
                + "; cat > /dev/null; openssl pkeyutl -sign -inkey '" + key + "' -rawin -in " + dir.resolve("part");
        CommandSigner signer = CommandSigner.of(prefixOnly, pub);
        assertThatThrownBy(() -> signer.sign(new byte[3000])).hasMessageContaining("did not sign all 3000 bytes");
    }

    @Test
    void aFailingCommandNamesItsStatus() {
        assertThatThrownBy(
                        () -> CommandSigner.of("cat > /dev/null; exit 3", pub).sign(new byte[10]))
                .hasMessageContaining("exited with status 3");
    }

    @Test
    void anythingButSixtyFourBytesIsRefused() {
        assertThatThrownBy(() ->
                        CommandSigner.of("cat > /dev/null; echo signed", pub).sign(new byte[10]))
                .hasMessageContaining("printed 7 bytes");
    }

    @Test
    void aCommandThatIgnoresItsInputStillEnds() throws Exception {
        Files.writeString(dir.resolve("x"), "");
        assertThatThrownBy(() -> CommandSigner.of("exit 0", pub).sign(new byte[1 << 20]))
                .hasMessageContaining("printed 0 bytes");
    }
}
