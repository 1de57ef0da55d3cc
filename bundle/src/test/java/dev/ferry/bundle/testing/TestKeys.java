package dev.ferry.bundle.testing;

import dev.ferry.keys.PublicKeys;
import dev.ferry.keys.Signer;
import dev.ferry.keys.SigningKey;
import dev.ferry.keys.TrustedKeys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/** Fresh Ed25519 keys for tests (JDK only), with their public PEM on disk for {@code --trust} and openssl. */
public final class TestKeys {
    /** A signing key and where its public half was written ({@code DIR/NAME.pub.pem}). */
    public record TestKey(SigningKey signingKey, Path publicPem) {
        public String keyId() {
            return signingKey.keyId();
        }
    }

    private TestKeys() {}

    public static SigningKey generate() {
        try {
            KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            return SigningKey.of(pair.getPrivate(), pair.getPublic());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A new key whose public PEM is written to {@code dir/NAME.pub.pem}. */
    public static TestKey create(Path dir, String name) {
        SigningKey key = generate();
        try {
            Files.createDirectories(dir);
            Path pem = dir.resolve(name + ".pub.pem");
            Files.writeString(pem, PublicKeys.toPem(key.publicKey()));
            return new TestKey(key, pem);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A signer that shows {@code shown}'s key id and public key but signs through {@code sign}: one that records what
     * it is asked to sign, or an impostor that signs with another key.
     */
    public static Signer signerAs(SigningKey shown, UnaryOperator<byte[]> sign) {
        return new Signer() {
            @Override
            public String keyId() {
                return shown.keyId();
            }

            @Override
            public PublicKey publicKey() {
                return shown.publicKey();
            }

            @Override
            public byte[] sign(byte[] data) {
                return sign.apply(data);
            }
        };
    }

    public static TrustedKeys trust(SigningKey... keys) {
        Map<String, PublicKey> byId =
                Arrays.stream(keys).collect(Collectors.toMap(SigningKey::keyId, SigningKey::publicKey, (a, b) -> a));
        return TrustedKeys.of(byId);
    }

    public static TrustedKeys trust(TestKey... keys) {
        return trust(Arrays.stream(keys).map(TestKey::signingKey).toArray(SigningKey[]::new));
    }

    public static List<SigningKey> signing(TestKey... keys) {
        return Arrays.stream(keys)
                .map(TestKey::signingKey)
                .map(Function.identity())
                .toList();
    }
}
