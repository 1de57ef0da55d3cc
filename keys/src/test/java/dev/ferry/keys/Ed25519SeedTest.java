package dev.ferry.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Ed25519SeedTest {
    @TempDir
    Path dir;

    @Test
    void jdkDerivedPublicKeyIsTheOneBouncyCastleComputes() throws Exception {
        SecureRandom random = new SecureRandom();
        for (int i = 0; i < 20; i++) {
            byte[] seed = new byte[32];
            random.nextBytes(seed);
            KeyPair jdk = Ed25519Seed.keyPair(seed.clone());
            KeyPair bc = Ed25519Seed.withBouncyCastle(seed.clone());
            assertThat(jdk.getPublic().getEncoded()).isEqualTo(bc.getPublic().getEncoded());
            byte[] data = {(byte) i};
            assertThat(Signatures.verify(bc.getPublic(), data, Signatures.sign(jdk.getPrivate(), data)))
                    .isTrue();
        }
    }

    @Test
    void pkcs8V2KeyIsCheckedAgainstItsEmbeddedPublicKey() throws Exception {
        byte[] seed = new byte[32];
        new SecureRandom().nextBytes(seed);
        byte[] rightPublic = PublicKeys.raw(Ed25519Seed.keyPair(seed.clone()).getPublic());
        byte[] wrongPublic = rightPublic.clone();
        wrongPublic[0] ^= 1;

        Path good = writeV2("good.key.pem", seed, rightPublic);
        assertThat(KeyFiles.readPrivate(good, Passphrase.unset()).publicKey().getEncoded())
                .endsWith(rightPublic);
        Path bad = writeV2("bad.key.pem", seed, wrongPublic);
        assertThatThrownBy(() -> KeyFiles.readPrivate(bad, Passphrase.unset()))
                .hasMessage(bad + ": damaged private key: its embedded public key does not match");
    }

    private Path writeV2(String name, byte[] seed, byte[] publicKey) throws Exception {
        PrivateKeyInfo info = new PrivateKeyInfo(
                new AlgorithmIdentifier(EdECObjectIdentifiers.id_Ed25519), new DEROctetString(seed), null, publicKey);
        Path file = dir.resolve(name);
        try (PemWriter writer = new PemWriter(Files.newBufferedWriter(file))) {
            writer.writeObject(new PemObject("PRIVATE KEY", info.getEncoded()));
        }
        return file;
    }
}
