package dev.ferry.keys;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.HexFormat;

/**
 * The key id of SPEC section 2: the first 16 lowercase hex digits of SHA-256 over the raw 32-byte Ed25519 public
 * key ({@code openssl pkey -pubin -in K.pub.pem -outform DER | tail -c 32 | sha256sum | cut -c1-16}).
 */
public final class KeyId {
    private KeyId() {}

    public static String of(PublicKey key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(PublicKeys.raw(key));
            return HexFormat.of().formatHex(digest).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    public static boolean looksValid(String keyId) {
        return keyId != null && keyId.matches("[0-9a-f]{16}");
    }
}
