package dev.ferry.keys;

import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;

/** Ed25519 signatures over exact bytes (the raw 64-byte form that {@code openssl pkeyutl -rawin} reads). */
public final class Signatures {
    public static final int LENGTH = 64;

    private Signatures() {}

    public static byte[] sign(PrivateKey key, byte[] data) {
        try {
            Signature signer = Signature.getInstance("Ed25519");
            signer.initSign(key);
            signer.update(data);
            return signer.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 signing failed: " + e.getMessage(), e);
        }
    }

    /** False for a wrong, truncated or malformed signature; never throws for bad input. */
    public static boolean verify(PublicKey key, byte[] data, byte[] signature) {
        if (signature == null || signature.length != LENGTH) {
            return false;
        }
        try {
            Signature verifier = Signature.getInstance("Ed25519");
            verifier.initVerify(key);
            verifier.update(data);
            return verifier.verify(signature);
        } catch (InvalidKeyException | SignatureException e) {
            return false;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 is part of every JDK 15+", e);
        }
    }
}
