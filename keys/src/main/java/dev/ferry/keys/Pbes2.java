package dev.ferry.keys;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.EncryptedPrivateKeyInfo;
import org.bouncycastle.asn1.pkcs.EncryptionScheme;
import org.bouncycastle.asn1.pkcs.KeyDerivationFunc;
import org.bouncycastle.asn1.pkcs.PBES2Parameters;
import org.bouncycastle.asn1.pkcs.PBKDF2Params;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;

/**
 * PKCS#5 PBES2 (PBKDF2-HMAC-SHA2 + AES-CBC) for PKCS#8 files, the scheme {@code openssl genpkey -aes-256-cbc} and
 * {@code openssl pkcs8 -topk8} use. The ASN.1 comes from Bouncy Castle; the key derivation and the cipher from the
 * JDK, whose PBKDF2 is about three times as fast as Bouncy Castle's and needs no provider start-up (about 0.3 s), so
 * the same time buys more iterations.
 */
final class Pbes2 {
    /**
     * PBKDF2-HMAC-SHA256 iterations for a new key: OWASP (2023) asks for at least 600,000. Measured here: one
     * derivation takes about 0.4 s in a fresh JVM and 0.15-0.3 s once warm; {@code openssl pkey} about 0.25 s.
     */
    static final int ITERATIONS = 1_000_000;
    /** A key file asking for more than this would stall the command for minutes: refused as damaged. */
    static final int MAX_ITERATIONS = 20_000_000;

    private static final int SALT_LENGTH = 16;
    private static final int IV_LENGTH = 16;
    private static final SecureRandom RANDOM = new SecureRandom();

    private static final Map<ASN1ObjectIdentifier, String> PRFS = Map.of(
            PKCSObjectIdentifiers.id_hmacWithSHA1, "PBKDF2WithHmacSHA1",
            PKCSObjectIdentifiers.id_hmacWithSHA224, "PBKDF2WithHmacSHA224",
            PKCSObjectIdentifiers.id_hmacWithSHA256, "PBKDF2WithHmacSHA256",
            PKCSObjectIdentifiers.id_hmacWithSHA384, "PBKDF2WithHmacSHA384",
            PKCSObjectIdentifiers.id_hmacWithSHA512, "PBKDF2WithHmacSHA512");
    private static final Map<ASN1ObjectIdentifier, Integer> AES_KEY_BITS = Map.of(
            NISTObjectIdentifiers.id_aes128_CBC, 128,
            NISTObjectIdentifiers.id_aes192_CBC, 192,
            NISTObjectIdentifiers.id_aes256_CBC, 256);

    private Pbes2() {}

    /** Thrown when the passphrase does not open the file (or the file's PBES2 parameters are unusable). */
    static final class WrongPassphrase extends Exception {
        private static final long serialVersionUID = 1L;
    }

    /** Encrypts a PKCS#8 PrivateKeyInfo with PBES2: PBKDF2-HMAC-SHA256 ({@link #ITERATIONS}) and AES-256-CBC. */
    static EncryptedPrivateKeyInfo encrypt(byte[] privateKeyInfo, char[] passphrase) {
        byte[] salt = new byte[SALT_LENGTH];
        byte[] iv = new byte[IV_LENGTH];
        RANDOM.nextBytes(salt);
        RANDOM.nextBytes(iv);
        AlgorithmIdentifier prf = new AlgorithmIdentifier(PKCSObjectIdentifiers.id_hmacWithSHA256, DERNull.INSTANCE);
        PBES2Parameters parameters = new PBES2Parameters(
                new KeyDerivationFunc(PKCSObjectIdentifiers.id_PBKDF2, new PBKDF2Params(salt, ITERATIONS, prf)),
                new EncryptionScheme(NISTObjectIdentifiers.id_aes256_CBC, new DEROctetString(iv)));
        try {
            byte[] encrypted = cipher(
                            Cipher.ENCRYPT_MODE, "PBKDF2WithHmacSHA256", passphrase, salt, ITERATIONS, 256, iv)
                    .doFinal(privateKeyInfo);
            return new EncryptedPrivateKeyInfo(
                    new AlgorithmIdentifier(PKCSObjectIdentifiers.id_PBES2, parameters), encrypted);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2-HMAC-SHA256 and AES-256-CBC are part of every JDK", e);
        }
    }

    /**
     * The decrypted PrivateKeyInfo DER, or empty when the file uses a scheme other than PBES2 with PBKDF2-HMAC-SHA*
     * and AES-CBC (scrypt, 3DES, PKCS#12 PBE): the caller then hands it to Bouncy Castle's own provider.
     */
    static Optional<byte[]> decrypt(EncryptedPrivateKeyInfo info, char[] passphrase) throws WrongPassphrase {
        AlgorithmIdentifier scheme = info.getEncryptionAlgorithm();
        if (!PKCSObjectIdentifiers.id_PBES2.equals(scheme.getAlgorithm())) {
            return Optional.empty();
        }
        PBES2Parameters parameters = PBES2Parameters.getInstance(scheme.getParameters());
        if (!PKCSObjectIdentifiers.id_PBKDF2.equals(
                parameters.getKeyDerivationFunc().getAlgorithm())) {
            return Optional.empty();
        }
        PBKDF2Params kdf =
                PBKDF2Params.getInstance(parameters.getKeyDerivationFunc().getParameters());
        String prf = PRFS.get(kdf.getPrf().getAlgorithm());
        Integer keyBits = AES_KEY_BITS.get(parameters.getEncryptionScheme().getAlgorithm());
        if (prf == null || keyBits == null) {
            return Optional.empty();
        }
        if (kdf.getIterationCount().bitLength() > 31 || kdf.getIterationCount().intValue() > MAX_ITERATIONS) {
            throw new WrongPassphrase();
        }
        byte[] iv = ASN1OctetString.getInstance(parameters.getEncryptionScheme().getParameters())
                .getOctets();
        try {
            return Optional.of(cipher(
                            Cipher.DECRYPT_MODE,
                            prf,
                            passphrase,
                            kdf.getSalt(),
                            kdf.getIterationCount().intValue(),
                            keyBits,
                            iv)
                    .doFinal(info.getEncryptedData()));
        } catch (GeneralSecurityException e) {
            // BadPaddingException: the usual sign of a wrong passphrase with CBC.
            throw new WrongPassphrase();
        }
    }

    private static Cipher cipher(
            int mode, String kdf, char[] passphrase, byte[] salt, int iterations, int keyBits, byte[] iv)
            throws GeneralSecurityException {
        // The JDK's PBKDF2 feeds the passphrase in as UTF-8, as openssl does with what it reads.
        PBEKeySpec spec = new PBEKeySpec(passphrase, salt, iterations, keyBits);
        byte[] keyBytes = SecretKeyFactory.getInstance(kdf).generateSecret(spec).getEncoded();
        spec.clearPassword();
        try {
            Cipher cipher = Cipher.getInstance("AES/CBC/PKCS5Padding");
            cipher.init(mode, new SecretKeySpec(keyBytes, "AES"), new IvParameterSpec(iv));
            return cipher;
        } finally {
            Arrays.fill(keyBytes, (byte) 0);
        }
    }
}
