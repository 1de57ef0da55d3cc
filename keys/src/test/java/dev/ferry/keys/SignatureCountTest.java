package dev.ferry.keys;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.keys.SignatureCount.Claim;
import dev.ferry.keys.SignatureCount.Why;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The counting rules of SPEC section 10: once per distinct public key; unknown, malformed, invalid and repeats never count. */
class SignatureCountTest {
    private static final byte[] MESSAGE = "the signed bytes".getBytes(StandardCharsets.UTF_8);
    private final SigningKey a = generate();
    private final SigningKey b = generate();
    private final SigningKey stranger = generate();
    private final Map<String, PublicKey> named = Map.of(a.keyId(), a.publicKey(), b.keyId(), b.publicKey());

    @Test
    void twoDistinctValidSignaturesCountTwice() {
        SignatureCount count = SignatureCount.of(MESSAGE, List.of(claim(a), claim(b)), named);
        assertThat(count.counted()).containsExactly(a.keyId(), b.keyId());
        assertThat(count.meets(2)).isTrue();
        assertThat(count.ignored()).isEmpty();
    }

    @Test
    void theSameSignatureTwiceCountsOnce() {
        SignatureCount count = SignatureCount.of(MESSAGE, List.of(claim(a), claim(a)), named);
        assertThat(count.count()).isEqualTo(1);
        assertThat(count.meets(2)).isFalse();
        assertThat(count.ignored()).containsExactly(new SignatureCount.Ignored(a.keyId(), Why.DUPLICATE));
    }

    @Test
    void oneKeyNamedUnderTwoKeyIdsCountsOnce() {
        Map<String, PublicKey> aliased = Map.of(a.keyId(), a.publicKey(), "0123456789abcdef", a.publicKey());
        byte[] sig = a.sign(MESSAGE);
        SignatureCount count = SignatureCount.of(
                MESSAGE, List.of(new Claim(a.keyId(), sig), new Claim("0123456789abcdef", sig)), aliased);
        assertThat(count.count()).isEqualTo(1);
        assertThat(count.ignored()).extracting(SignatureCount.Ignored::why).containsExactly(Why.DUPLICATE);
    }

    @Test
    void aSignatureByAKeyNotNamedNeverCounts() {
        SignatureCount count = SignatureCount.of(MESSAGE, List.of(claim(stranger)), named);
        assertThat(count.count()).isZero();
        assertThat(count.ignored()).containsExactly(new SignatureCount.Ignored(stranger.keyId(), Why.UNKNOWN_KEY));
    }

    @Test
    void aStrangersSignatureUnderANamedKeyIdDoesNotVerify() {
        SignatureCount count = SignatureCount.of(MESSAGE, List.of(new Claim(a.keyId(), stranger.sign(MESSAGE))), named);
        assertThat(count.ignored()).containsExactly(new SignatureCount.Ignored(a.keyId(), Why.INVALID));
    }

    @Test
    void anInvalidSignatureBesideAValidOneLeavesTheValidOneCounted() {
        byte[] bad = a.sign(MESSAGE);
        bad[0] ^= 1;
        SignatureCount count = SignatureCount.of(MESSAGE, List.of(new Claim(a.keyId(), bad), claim(b)), named);
        assertThat(count.counted()).containsExactly(b.keyId());
        assertThat(count.describe(2)).contains("1 of 2 counted").contains(a.keyId() + " (does not verify)");
    }

    @Test
    void malformedKeyIdsAndSignatureLengthsNeverCount() {
        SignatureCount count = SignatureCount.of(
                MESSAGE,
                List.of(
                        new Claim("not-a-key-id\n", a.sign(MESSAGE)),
                        new Claim(b.keyId(), new byte[63]),
                        new Claim(a.keyId(), null)),
                named);
        assertThat(count.count()).isZero();
        assertThat(count.ignored()).extracting(SignatureCount.Ignored::why).containsOnly(Why.MALFORMED);
        assertThat(count.ignored().get(0).keyId()).isEqualTo("not-a-key-id?");
    }

    @Test
    void aThresholdOfZeroIsNeverMet() {
        assertThat(SignatureCount.of(MESSAGE, List.of(claim(a)), named).meets(0))
                .isFalse();
    }

    private static Claim claim(SigningKey key) {
        return new Claim(key.keyId(), key.sign(MESSAGE));
    }

    static SigningKey generate() {
        try {
            KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            return SigningKey.of(pair.getPrivate(), pair.getPublic());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
