package dev.ferry.keys;

import java.security.PrivateKey;
import java.security.PublicKey;

/** A private key ready to sign, with its public half and key id. Only the bundler ever holds one. */
public record SigningKey(String keyId, PrivateKey privateKey, PublicKey publicKey) implements Signer {
    public static SigningKey of(PrivateKey privateKey, PublicKey publicKey) {
        return new SigningKey(KeyId.of(publicKey), privateKey, publicKey);
    }

    @Override
    public byte[] sign(byte[] data) {
        return Signatures.sign(privateKey, data);
    }

    @Override
    public String toString() {
        return "SigningKey[" + keyId + "]";
    }
}
