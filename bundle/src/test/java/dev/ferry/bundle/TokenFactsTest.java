package dev.ferry.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class TokenFactsTest {
    static byte[] jwt(String claimsJson) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return (b64.encodeToString("{\"alg\":\"HS256\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(claimsJson.getBytes(StandardCharsets.UTF_8)) + ".c2lnbmF0dXJl\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void readsTheWindowAndIdOfAJwt() {
        TokenFacts facts = TokenFacts.fromJwt(jwt("{\"jti\":\"tok-7\",\"nbf\":1795000000,\"exp\":1795600000}")).orElseThrow();
        assertThat(facts.id()).isEqualTo("tok-7");
        assertThat(facts.notBefore()).isEqualTo(Instant.ofEpochSecond(1795000000));
        assertThat(facts.notAfter()).isEqualTo(Instant.ofEpochSecond(1795600000));
        assertThat(facts.validAt(Instant.ofEpochSecond(1795000000))).isTrue();
        assertThat(facts.validAt(Instant.ofEpochSecond(1795600000))).isFalse();
        assertThat(facts.validAt(Instant.ofEpochSecond(1794999999))).isFalse();
    }

    @Test
    void opaqueTokensAreNotJwts() {
        assertThat(TokenFacts.fromJwt("s3cr3t-opaque-token".getBytes(StandardCharsets.US_ASCII))).isEmpty();
        assertThat(TokenFacts.fromJwt("a.!!!.c".getBytes(StandardCharsets.US_ASCII))).isEmpty();
        assertThat(TokenFacts.opaqueId("s3cr3t".getBytes(StandardCharsets.US_ASCII)))
                .startsWith("sha256:").hasSize(23).doesNotContain("s3cr3t");
    }

    @Test
    void jwtWithoutJtiGetsADigestId() {
        assertThat(TokenFacts.fromJwt(jwt("{\"exp\":1795600000}")).orElseThrow().id()).startsWith("sha256:");
    }
}
