package dev.ferry.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.common.ExitCode;
import dev.ferry.common.FerryException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class TokenFactsTest {
    static String jwt(String claims) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return b64.encodeToString("{\"alg\":\"HS256\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(claims.getBytes(StandardCharsets.UTF_8)) + ".c2lnbmF0dXJl";
    }

    @Test
    void readsWindowAndIdFromJwtClaims() {
        TokenInfo info = TokenFacts.fromJwt(
                        jwt("{\"nbf\":1795000000,\"exp\":1795600000,\"jti\":\"tok-7\"}") + "\n",
                        "t.jwt",
                        BundleLayout.TOKEN)
                .orElseThrow();
        assertThat(info.id()).isEqualTo("tok-7");
        assertThat(info.notBefore()).isEqualTo(Instant.ofEpochSecond(1795000000));
        assertThat(info.notAfter()).isEqualTo(Instant.ofEpochSecond(1795600000));
        assertThat(info.path()).isEqualTo("payload/secrets/token");
    }

    @Test
    void opaqueTokenIsNotAJwt() {
        assertThat(TokenFacts.fromJwt("s3cr3t-opaque-token", "t", null)).isEmpty();
    }

    @Test
    void jwtWithoutExpIsAUsageErrorThatDoesNotQuoteTheToken() {
        String token = jwt("{\"jti\":\"x\"}");
        assertThatThrownBy(() -> TokenFacts.fromJwt(token, "dmz.token", null))
                .isInstanceOf(FerryException.class)
                .hasMessageContaining("dmz.token")
                .hasMessageContaining("exp")
                .hasMessageNotContaining(token)
                .satisfies(e -> assertThat(((FerryException) e).exitCode()).isEqualTo(ExitCode.USAGE));
    }

    @Test
    void opaqueIdNamesTheTokenWithoutRevealingIt() {
        byte[] token = "s3cr3t".getBytes(StandardCharsets.US_ASCII);
        assertThat(TokenFacts.opaqueId(token))
                .startsWith("pbkdf2:")
                .hasSize(23)
                .doesNotContain("s3cr3t")
                .isEqualTo(TokenFacts.opaqueId(token.clone()))
                .isNotEqualTo(TokenFacts.opaqueId("s3cr3u".getBytes(StandardCharsets.US_ASCII)));
    }
}
