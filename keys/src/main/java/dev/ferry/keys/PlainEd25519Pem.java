package dev.ferry.keys;

import dev.ferry.common.BoundedInput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;

/**
 * The common key file read with the JDK alone: an unencrypted Ed25519 PKCS#8 v1 key ({@code BEGIN PRIVATE KEY},
 * what {@code bundler keys generate --no-passphrase} and {@code openssl genpkey -algorithm ed25519} write). Loading
 * Bouncy Castle costs about 0.25 s of every {@code bundler create} (its jars are signed, and the JDK checks the
 * signature of every class it loads from them), so it is left for what this class does not recognise: encrypted
 * keys, public keys, other algorithms, damaged files. Those go to {@link PrivateKeyPem}, which also words every error.
 */
final class PlainEd25519Pem {
    private static final String BEGIN = "-----BEGIN PRIVATE KEY-----";
    private static final String END = "-----END PRIVATE KEY-----";
    /** PKCS#8 v1 around a 32-byte seed: SEQUENCE { INTEGER 0, SEQUENCE { OID 1.3.101.112 }, OCTET STRING { OCTET STRING } }. */
    private static final byte[] PREFIX = {
        0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20
    };

    private static final int MAX_FILE_BYTES = 4096;

    private PlainEd25519Pem() {}

    /** The key pair, or empty when the file is anything else (the caller's full parser then says what it is). */
    static Optional<SigningKey> read(Path file) {
        byte[] der = null;
        byte[] seed = null;
        try {
            if (BoundedInput.problem(file, MAX_FILE_BYTES) != null) {
                return Optional.empty();
            }
            String text = Files.readString(file, StandardCharsets.US_ASCII).strip();
            if (!text.startsWith(BEGIN) || !text.endsWith(END) || text.indexOf(BEGIN, 1) >= 0) {
                return Optional.empty();
            }
            der = Base64.getMimeDecoder().decode(text.substring(BEGIN.length(), text.length() - END.length()));
            if (der.length != PREFIX.length + Ed25519Seed.LENGTH
                    || !Arrays.equals(der, 0, PREFIX.length, PREFIX, 0, PREFIX.length)) {
                return Optional.empty();
            }
            seed = Arrays.copyOfRange(der, PREFIX.length, der.length);
            KeyPair pair = Ed25519Seed.keyPair(seed);
            return Optional.of(SigningKey.of(pair.getPrivate(), pair.getPublic()));
        } catch (IOException | IllegalArgumentException | GeneralSecurityException e) {
            return Optional.empty();
        } finally {
            if (der != null) {
                Arrays.fill(der, (byte) 0);
            }
            if (seed != null) {
                Arrays.fill(seed, (byte) 0);
            }
        }
    }
}
