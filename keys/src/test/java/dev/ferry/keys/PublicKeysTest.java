package dev.ferry.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.common.ExitCode;
import dev.ferry.common.FerryException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PublicKeysTest {
    @TempDir
    Path dir;

    private static KeyPair newPair() throws Exception {
        return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    }

    private static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        return out;
    }

    @Test
    void keyIdMatchesTheSpecOpensslRecipe() throws Exception {
        KeyPair pair = newPair();
        Path pem = dir.resolve("k.pub.pem");
        Files.writeString(pem, PublicKeys.toPem(pair.getPublic()));
        String stock = run(
                        "sh",
                        "-c",
                        "openssl pkey -pubin -in '" + pem + "' -outform DER | tail -c 32 | sha256sum | cut -c1-16")
                .strip();
        assertThat(KeyId.of(PublicKeys.read(pem))).isEqualTo(stock).matches("[0-9a-f]{16}");
    }

    @Test
    void opensslVerifiesOurRawSignature() throws Exception {
        KeyPair pair = newPair();
        Path pem = dir.resolve("k.pub.pem");
        Files.writeString(pem, PublicKeys.toPem(pair.getPublic()));
        byte[] data = "manifest bytes".getBytes(StandardCharsets.UTF_8);
        Files.write(dir.resolve("data"), data);
        byte[] sig = Signatures.sign(pair.getPrivate(), data);
        assertThat(sig).hasSize(Signatures.LENGTH);
        Files.write(dir.resolve("data.sig"), sig);
        assertThat(run(
                        "openssl",
                        "pkeyutl",
                        "-verify",
                        "-pubin",
                        "-inkey",
                        pem.toString(),
                        "-rawin",
                        "-in",
                        dir.resolve("data").toString(),
                        "-sigfile",
                        dir.resolve("data.sig").toString()))
                .contains("Signature Verified Successfully");
        assertThat(Signatures.verify(pair.getPublic(), data, sig)).isTrue();
    }

    @Test
    void wrongTruncatedOrForeignSignaturesAreRejected() throws Exception {
        KeyPair pair = newPair();
        byte[] data = {1, 2, 3};
        byte[] sig = Signatures.sign(pair.getPrivate(), data);
        assertThat(Signatures.verify(pair.getPublic(), new byte[] {1, 2, 4}, sig))
                .isFalse();
        assertThat(Signatures.verify(pair.getPublic(), data, Arrays.copyOf(sig, 63)))
                .isFalse();
        assertThat(Signatures.verify(newPair().getPublic(), data, sig)).isFalse();
    }

    @Test
    void readsKeysThatOpensslWrote() throws Exception {
        Path key = dir.resolve("o.key.pem");
        Path pub = dir.resolve("o.pub.pem");
        run("openssl", "genpkey", "-algorithm", "ed25519", "-out", key.toString());
        run("openssl", "pkey", "-in", key.toString(), "-pubout", "-out", pub.toString());
        assertThat(PublicKeys.read(pub).getAlgorithm()).isIn("Ed25519", "EdDSA");
    }

    @Test
    void badFilesAreUsageErrorsNamingTheFile() throws Exception {
        Path garbage = dir.resolve("garbage.pub.pem");
        Files.writeString(garbage, "hello");
        assertThatThrownBy(() -> PublicKeys.read(garbage))
                .isInstanceOf(FerryException.class)
                .hasMessageContaining("garbage.pub.pem")
                .satisfies(e -> assertThat(((FerryException) e).exitCode()).isEqualTo(ExitCode.USAGE));
        assertThatThrownBy(() -> PublicKeys.read(dir.resolve("missing.pub.pem")))
                .hasMessageContaining("missing.pub.pem");
    }

    @Test
    void trustedKeysComeFromFilesAndFolders() throws Exception {
        KeyPair a = newPair();
        KeyPair b = newPair();
        Path explicit = dir.resolve("a.pub.pem");
        Files.writeString(explicit, PublicKeys.toPem(a.getPublic()));
        Path trustD = Files.createDirectories(dir.resolve("trust.d"));
        Files.writeString(trustD.resolve("b.pub.pem"), PublicKeys.toPem(b.getPublic()));
        Files.writeString(trustD.resolve("notes.txt"), "not a key");
        TrustedKeys trust = TrustedKeys.load(List.of(explicit), List.of(trustD, dir.resolve("absent")));
        assertThat(trust.ids()).containsExactlyInAnyOrder(KeyId.of(a.getPublic()), KeyId.of(b.getPublic()));
        assertThat(TrustedKeys.load(List.of(), List.of(dir.resolve("absent"))).isEmpty())
                .isTrue();
    }
}
