package dev.ferry.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.bundle.testing.RawBundleWriter;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * How the manifest binds a secret file (SPEC section 2): the HMAC under the bundle's binding key, and the slow digest
 * of bundles made before it; what each computes and what a verifier accepts.
 */
class SecretDigestTest {
    private static final String SHA256 = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    private static final String KEY = "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824";

    @ParameterizedTest
    @CsvSource({
        "1, 00",
        "2, 0102030405060708090a0b0c0d0e0f10",
        "4096, ffeeddccbbaa99887766554433221100",
        "600000, 000102030405060708090a0b0c0d0e0f"
    })
    void pbkdf2IsTheJdksPbkdf2WithHmacSha256(int iterations, String saltHex) throws Exception {
        byte[] salt = HexFormat.of().parseHex(saltHex);
        byte[] jdk = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                .generateSecret(new PBEKeySpec(SHA256.toCharArray(), salt, iterations, 256))
                .getEncoded();
        assertThat(SecretDigest.pbkdf2(SHA256, salt, iterations))
                .isEqualTo(HexFormat.of().formatHex(jdk));
    }

    @ParameterizedTest
    @ValueSource(ints = {Pbkdf2.STRIDE, Pbkdf2.STRIDE + 1, Pbkdf2.STRIDE + 2, 2 * Pbkdf2.STRIDE + 1})
    void pbkdf2IsTheJdksEitherSideOfItsIterationStrides(int iterations) throws Exception {
        pbkdf2IsTheJdksPbkdf2WithHmacSha256(iterations, "ffeeddccbbaa99887766554433221100");
    }

    @Test
    void rfc7914TestVectorForPbkdf2HmacSha256() {
        // RFC 7914 section 11: PBKDF2-HMAC-SHA256 (P="passwd", S="salt", c=1, dkLen=64): the first 32 bytes.
        byte[] key = Pbkdf2.hmacSha256(
                "passwd".getBytes(StandardCharsets.US_ASCII), "salt".getBytes(StandardCharsets.US_ASCII), 1);
        assertThat(HexFormat.of().formatHex(key))
                .isEqualTo("55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc");
    }

    @Test
    void theSlowDigestMatchesOnlyTheBoundBytes() {
        SecretDigest digest =
                RawBundleWriter.slowDigest(SHA256, "00".repeat(SecretDigest.SALT_BYTES), SecretDigest.ITERATIONS);
        assertThat(digest.kdf()).isEqualTo("pbkdf2-hmac-sha256");
        assertThat(digest.iterations()).isEqualTo(600_000);
        assertThat(digest.problem()).isNull();
        assertThat(digest.matches(BundleLayout.TOKEN, SHA256, null)).isTrue();
        assertThat(digest.matches(BundleLayout.TOKEN, "0" + SHA256.substring(1), null))
                .isFalse();
    }

    @Test
    void theHmacMatchesOnlyTheBoundBytesAtTheBoundPathUnderTheBoundKey() {
        SecretDigest digest = SecretDigest.hmac(KEY, BundleLayout.TOKEN, SHA256);
        assertThat(digest.kdf()).isEqualTo("hmac-sha256");
        assertThat(digest.problem()).isNull();
        assertThat(digest.matches(BundleLayout.TOKEN, SHA256, KEY)).isTrue();
        assertThat(digest.matches(BundleLayout.TOKEN, "0" + SHA256.substring(1), KEY))
                .isFalse();
        assertThat(digest.matches(BundleLayout.PROXY_PASSWORD, SHA256, KEY)).isFalse();
        assertThat(digest.matches(BundleLayout.TOKEN, SHA256, "0" + KEY.substring(1)))
                .isFalse();
        assertThat(digest.matches(BundleLayout.TOKEN, SHA256, null))
                .as("no binding key read")
                .isFalse();
    }

    @Test
    void theHmacIsRfc2104WithTheKeysSha256AsKeyAndThePathZeroAndHexDigestAsMessage() throws Exception {
        // RFC 4231 test case 2 pins the JDK's HMAC-SHA256 ("Jefe", "what do ya want for nothing?").
        Mac jefe = Mac.getInstance("HmacSHA256");
        jefe.init(new SecretKeySpec("Jefe".getBytes(StandardCharsets.US_ASCII), "HmacSHA256"));
        assertThat(HexFormat.of()
                        .formatHex(jefe.doFinal("what do ya want for nothing?".getBytes(StandardCharsets.US_ASCII))))
                .isEqualTo("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(HexFormat.of().parseHex(KEY), "HmacSHA256"));
        byte[] expected = mac.doFinal((BundleLayout.TOKEN + "\0" + SHA256).getBytes(StandardCharsets.US_ASCII));
        assertThat(SecretDigest.hmac(KEY, BundleLayout.TOKEN, SHA256).hash())
                .isEqualTo(HexFormat.of().formatHex(expected));
    }

    @ParameterizedTest
    @CsvSource({
        "pbkdf2-hmac-sha1, 600000, 00000000000000000000000000000000, kdf 'pbkdf2-hmac-sha1' is not hmac-sha256, binding-key or pbkdf2-hmac-sha256",
        "hmac-sha256, 600000, , hmac-sha256 takes neither a salt nor iterations",
        "hmac-sha256, 0, 00000000000000000000000000000000, hmac-sha256 takes neither a salt nor iterations",
        "binding-key, 0, , the binding key publishes nothing of its own",
        "pbkdf2-hmac-sha256, 599999, 00000000000000000000000000000000, below the floor of 600000",
        "pbkdf2-hmac-sha256, 10000001, 00000000000000000000000000000000, above the ceiling",
        "pbkdf2-hmac-sha256, 600000, 0000000000000000000000000000, salt is not 16 to 64 bytes",
        "pbkdf2-hmac-sha256, 600000, 0000000000000000000000000000000G, salt is not 16 to 64 bytes",
    })
    void aVerifierRefusesDigestsThatMakeGuessingCheapOrCannotBeChecked(
            String kdf, long iterations, String salt, String problem) {
        assertThat(new SecretDigest(kdf, iterations, salt, "ab".repeat(32)).problem())
                .contains(problem);
    }

    @Test
    void aHashOfTheWrongShapeIsRefused() {
        assertThat(new SecretDigest(SecretDigest.KDF, SecretDigest.ITERATIONS, "00".repeat(16), "AB".repeat(32))
                        .problem())
                .contains("hash is not 64 lowercase hex digits");
        assertThat(new SecretDigest(SecretDigest.HMAC, 0, null, "ab".repeat(31)).problem())
                .contains("hash is not 64 lowercase hex digits");
    }

    @Test
    void aDescriptionForPeopleNamesHowASecretIsBoundAndNothingToTestAGuessAgainst() {
        assertThat(SecretDigest.hmac(KEY, BundleLayout.TOKEN, SHA256).describe())
                .isEqualTo("bound by hmac-sha256 under the bundle's binding key");
        assertThat(SecretDigest.BINDING_KEY.describe()).isEqualTo("the binding key of the bundle's other secrets");
        assertThat(new SecretDigest(SecretDigest.KDF, 600_000, "00".repeat(16), "ab".repeat(32)).describe())
                .isEqualTo("bound by pbkdf2-hmac-sha256, 600000 iterations");
    }
}
