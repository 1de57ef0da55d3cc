package dev.ferry.keys;

import dev.ferry.common.BoundedInput;
import dev.ferry.common.ExitCode;
import dev.ferry.common.FerryException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.jcajce.JcePKCSPBEInputDecryptorProviderBuilder;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;

/**
 * PEM key files with Bouncy Castle: PKCS#8 private keys, plain or encrypted the way {@code openssl pkey -passin}
 * reads them, and SubjectPublicKeyInfo public keys. Bundler side only (the installer never loads this class).
 */
final class PrivateKeyPem {
    private static final int MAX_PEM_BYTES = 64 * 1024;

    private PrivateKeyPem() {}

    /**
     * Writes the key as {@code BEGIN ENCRYPTED PRIVATE KEY} (PBES2: PBKDF2-HMAC-SHA256, AES-256-CBC, see {@link Pbes2})
     * or, without a passphrase, {@code BEGIN PRIVATE KEY}: PKCS#8 either way, as openssl writes them.
     */
    static void write(PrivateKey key, char[] passphraseOrNull, OutputStream out) throws IOException {
        byte[] privateKeyInfo = key.getEncoded();
        PemObject pem = passphraseOrNull == null
                ? new PemObject("PRIVATE KEY", privateKeyInfo)
                : new PemObject(
                        "ENCRYPTED PRIVATE KEY",
                        Pbes2.encrypt(privateKeyInfo, passphraseOrNull).getEncoded());
        try (PemWriter writer = new PemWriter(new OutputStreamWriter(out, StandardCharsets.US_ASCII))) {
            writer.writeObject(pem);
        } finally {
            Arrays.fill(privateKeyInfo, (byte) 0);
        }
    }

    /** The one PEM object in the file: a SubjectPublicKeyInfo, PrivateKeyInfo or PKCS8EncryptedPrivateKeyInfo. */
    static Object parse(Path file) {
        try {
            byte[] pem = BoundedInput.read(file, MAX_PEM_BYTES, "key");
            try (Reader reader = new StringReader(new String(pem, StandardCharsets.US_ASCII));
                    PEMParser parser = new PEMParser(reader)) {
                Object object = parser.readObject();
                if (object instanceof SubjectPublicKeyInfo
                        || object instanceof PrivateKeyInfo
                        || object instanceof PKCS8EncryptedPrivateKeyInfo) {
                    return object;
                }
                throw FerryException.usage(file + ": not a PEM key file (expected BEGIN PUBLIC KEY, BEGIN PRIVATE KEY"
                        + " or BEGIN ENCRYPTED PRIVATE KEY)");
            }
        } catch (NoSuchFileException e) {
            throw FerryException.usage(file + ": no such key file");
        } catch (IOException | IllegalArgumentException | IllegalStateException e) {
            // PEMParser reports damaged base64 or DER this way; the message may quote bytes of the file, so drop it.
            throw FerryException.usage(file + ": not a readable PEM key file (damaged or not a key)");
        }
    }

    static PrivateKeyInfo decrypt(PKCS8EncryptedPrivateKeyInfo encrypted, Passphrase passphrase, Path file) {
        char[] chars = passphrase.forDecrypting(file);
        byte[] der = null;
        try {
            Optional<byte[]> decrypted = Pbes2.decrypt(encrypted.toASN1Structure(), chars);
            if (decrypted.isPresent()) {
                der = decrypted.get();
                return PrivateKeyInfo.getInstance(der);
            }
            // Other schemes openssl can write (scrypt, 3DES, PKCS#12 PBE): Bouncy Castle's provider knows them.
            return encrypted.decryptPrivateKeyInfo(new JcePKCSPBEInputDecryptorProviderBuilder()
                    .setProvider(BouncyCastle.PROVIDER)
                    .build(chars));
        } catch (PKCSException e) {
            if (e.getCause() instanceof OperatorCreationException) {
                throw new FerryException(
                        ExitCode.USAGE,
                        file + ": cannot decrypt the private key: unsupported encryption "
                                + encrypted.getEncryptionAlgorithm().getAlgorithm(),
                        e);
            }
            throw wrongPassphrase(file, passphrase, e);
        } catch (Pbes2.WrongPassphrase | IllegalArgumentException | IllegalStateException e) {
            // A wrong passphrase shows as a bad padding or, once in 256 tries, as garbage DER after a lucky padding.
            throw wrongPassphrase(file, passphrase, e);
        } finally {
            Arrays.fill(chars, '\0');
            if (der != null) {
                Arrays.fill(der, (byte) 0);
            }
        }
    }

    private static FerryException wrongPassphrase(Path file, Passphrase passphrase, Exception cause) {
        return new FerryException(
                ExitCode.USAGE,
                file + ": wrong passphrase (" + passphrase.source() + "): cannot decrypt the private key",
                cause);
    }

    /** Started only for the rare key file whose encryption the JDK cannot undo: it costs about 0.3 s. */
    private static final class BouncyCastle {
        static final Provider PROVIDER = new BouncyCastleProvider();
    }

    /** The signing key, its public half derived from the private seed (PKCS#8 v1 files do not carry it). */
    static SigningKey toSigningKey(PrivateKeyInfo info, Path file) {
        requireEd25519(info.getPrivateKeyAlgorithm(), file);
        byte[] seed = null;
        try {
            seed = ASN1OctetString.getInstance(info.parsePrivateKey()).getOctets();
            if (seed.length != Ed25519Seed.LENGTH) {
                throw FerryException.usage(file + ": damaged Ed25519 private key (" + seed.length + "-byte seed)");
            }
            KeyPair pair = Ed25519Seed.keyPair(seed);
            if (info.hasPublicKey()
                    && !Arrays.equals(info.getPublicKeyData().getOctets(), PublicKeys.raw(pair.getPublic()))) {
                throw FerryException.usage(file + ": damaged private key: its embedded public key does not match");
            }
            return SigningKey.of(pair.getPrivate(), pair.getPublic());
        } catch (IOException | IllegalArgumentException e) {
            throw FerryException.usage(file + ": damaged Ed25519 private key");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 is part of every JDK 15+", e);
        } finally {
            if (seed != null) {
                Arrays.fill(seed, (byte) 0);
            }
        }
    }

    static PublicKey publicKey(SubjectPublicKeyInfo info, Path file) {
        requireEd25519(info.getAlgorithm(), file);
        try {
            PublicKey key = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(info.getEncoded()));
            PublicKeys.raw(key);
            return key;
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            throw FerryException.usage(file + ": damaged Ed25519 public key");
        }
    }

    private static void requireEd25519(AlgorithmIdentifier algorithm, Path file) {
        if (!EdECObjectIdentifiers.id_Ed25519.equals(algorithm.getAlgorithm())) {
            throw FerryException.usage(
                    file + ": " + algorithmName(algorithm.getAlgorithm()) + " key: Ferry signs with Ed25519 keys only");
        }
    }

    static String algorithmName(ASN1ObjectIdentifier oid) {
        if (EdECObjectIdentifiers.id_Ed25519.equals(oid)) {
            return "Ed25519";
        } else if (EdECObjectIdentifiers.id_Ed448.equals(oid)) {
            return "Ed448";
        } else if (PKCSObjectIdentifiers.rsaEncryption.equals(oid)) {
            return "RSA";
        } else if (X9ObjectIdentifiers.id_ecPublicKey.equals(oid)) {
            return "EC";
        }
        return "OID " + oid.getId();
    }
}
