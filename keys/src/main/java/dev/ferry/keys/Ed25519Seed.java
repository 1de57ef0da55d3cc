package dev.ferry.keys;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.EdECPrivateKeySpec;
import java.security.spec.NamedParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;

/**
 * The Ed25519 key pair of a 32-byte private seed, as JDK keys. PKCS#8 v1 files (what openssl writes) hold only
 * the seed, so the public half must be computed.
 *
 * <p>The JDK computes it while generating a pair from random bytes, so it is given the seed as its "random"; that
 * costs a few milliseconds, where Bouncy Castle's first public-key computation builds tables for about 0.4 s. The
 * result is checked (the generated private key must be the seed), and Bouncy Castle takes over if it ever is not.
 */
final class Ed25519Seed {
    static final int LENGTH = 32;

    private Ed25519Seed() {}

    static KeyPair keyPair(byte[] seed) throws GeneralSecurityException {
        if (seed.length != LENGTH) {
            throw new IllegalArgumentException("an Ed25519 seed has 32 bytes");
        }
        KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519");
        generator.initialize(NamedParameterSpec.ED25519, new ReplaySeed(seed));
        KeyPair pair = generator.generateKeyPair();
        if (pair.getPrivate() instanceof EdECPrivateKey generated && sameSeed(generated, seed)) {
            return pair;
        }
        return withBouncyCastle(seed);
    }

    private static boolean sameSeed(EdECPrivateKey key, byte[] seed) {
        byte[] bytes = key.getBytes().orElse(null);
        try {
            return bytes != null && Arrays.equals(bytes, seed);
        } finally {
            if (bytes != null) {
                Arrays.fill(bytes, (byte) 0);
            }
        }
    }

    static KeyPair withBouncyCastle(byte[] seed) throws GeneralSecurityException {
        byte[] rawPublic =
                new Ed25519PrivateKeyParameters(seed).generatePublicKey().getEncoded();
        KeyFactory ed25519 = KeyFactory.getInstance("Ed25519");
        PrivateKey privateKey = ed25519.generatePrivate(new EdECPrivateKeySpec(NamedParameterSpec.ED25519, seed));
        byte[] spki;
        try {
            spki = new SubjectPublicKeyInfo(new AlgorithmIdentifier(EdECObjectIdentifiers.id_Ed25519), rawPublic)
                    .getEncoded();
        } catch (IOException e) {
            throw new IllegalStateException("DER encoding in memory cannot fail", e);
        }
        PublicKey publicKey = ed25519.generatePublic(new X509EncodedKeySpec(spki));
        return new KeyPair(publicKey, privateKey);
    }

    /** A "random" source that hands out the seed once, and refuses anything else. */
    private static final class ReplaySeed extends SecureRandom {
        private static final long serialVersionUID = 1L;
        private final transient byte[] seed;
        private transient boolean used;

        ReplaySeed(byte[] seed) {
            this.seed = seed;
        }

        @Override
        public void nextBytes(byte[] bytes) {
            if (used || bytes.length != seed.length) {
                throw new IllegalStateException("the JDK's Ed25519 generator asked for other random bytes than a seed");
            }
            used = true;
            System.arraycopy(seed, 0, bytes, 0, seed.length);
        }
    }
}
