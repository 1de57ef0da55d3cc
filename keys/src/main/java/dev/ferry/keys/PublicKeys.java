package dev.ferry.keys;

import dev.ferry.common.BoundedInput;
import dev.ferry.common.FerryException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;

/** Ed25519 public keys as SubjectPublicKeyInfo PEM ({@code BEGIN PUBLIC KEY}), with the JDK alone. */
public final class PublicKeys {
    static final String BEGIN = "-----BEGIN PUBLIC KEY-----";
    static final String END = "-----END PUBLIC KEY-----";
    /** The DER prefix of every Ed25519 SubjectPublicKeyInfo; the raw key is the 32 bytes after it. */
    private static final int RAW_LENGTH = 32;

    private static final int MAX_PEM_BYTES = 64 * 1024;

    private PublicKeys() {}

    public static PublicKey read(Path pem) {
        String text = new String(BoundedInput.read(pem, MAX_PEM_BYTES, "public key"), StandardCharsets.US_ASCII);
        return parse(text, pem.toString());
    }

    public static PublicKey parse(String pemText, String source) {
        int begin = pemText.indexOf(BEGIN);
        int end = pemText.indexOf(END);
        if (begin < 0 || end < begin) {
            throw FerryException.usage(source + ": not a PEM public key (expected " + BEGIN + ")");
        }
        String body = pemText.substring(begin + BEGIN.length(), end).replaceAll("\\s", "");
        try {
            byte[] der = Base64.getDecoder().decode(body);
            PublicKey key = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
            raw(key);
            return key;
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            throw FerryException.usage(source + ": not an Ed25519 public key");
        }
    }

    public static String toPem(PublicKey key) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(key.getEncoded());
        return BEGIN + "\n" + body + "\n" + END + "\n";
    }

    /** The raw 32-byte key: the tail of the SubjectPublicKeyInfo DER. */
    public static byte[] raw(PublicKey key) {
        byte[] der = key.getEncoded();
        if (!"X.509".equals(key.getFormat()) || der.length < RAW_LENGTH || !isEd25519(key)) {
            throw new IllegalArgumentException("not an Ed25519 public key");
        }
        return Arrays.copyOfRange(der, der.length - RAW_LENGTH, der.length);
    }

    private static boolean isEd25519(PublicKey key) {
        String alg = key.getAlgorithm();
        return "Ed25519".equalsIgnoreCase(alg) || "EdDSA".equalsIgnoreCase(alg) && key.getEncoded().length == 44;
    }
}
