package dev.ferry.bundler.create;

import dev.ferry.bundle.BundleLayout;
import dev.ferry.bundle.TokenFacts;
import dev.ferry.bundle.TokenInfo;
import dev.ferry.common.BoundedInput;
import dev.ferry.common.FerryException;
import dev.ferry.profiles.Profile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * The token's validity window, from its JWT claims or else from the profile, checked at build time: a token that
 * has already expired would only fail on the isolated host days later, so it is refused here.
 */
final class TokenWindow {
    /** A token is a short secret; anything larger is not a token file. */
    private static final int MAX_TOKEN_BYTES = 64 * 1024;

    private TokenWindow() {}

    static TokenInfo read(
            Path tokenFile, Profile profile, Instant now, Instant bundleExpiresAt, List<String> warnings) {
        byte[] token = readToken(tokenFile);
        Profile.Token configured = profile.token();
        TokenInfo jwt = TokenFacts.fromJwt(
                        new String(token, StandardCharsets.US_ASCII), tokenFile.toString(), BundleLayout.TOKEN)
                .orElse(null);
        TokenInfo facts = jwt != null
                ? new TokenInfo(
                        jwt.id() != null ? jwt.id() : TokenFacts.opaqueId(token),
                        jwt.notBefore(),
                        jwt.notAfter(),
                        BundleLayout.TOKEN)
                : new TokenInfo(
                        TokenFacts.opaqueId(token),
                        configured == null ? null : configured.notBefore(),
                        configured == null ? null : configured.notAfter(),
                        BundleLayout.TOKEN);
        Arrays.fill(token, (byte) 0);
        if (facts.notAfter() == null) {
            throw FerryException.usage(
                    tokenFile + ": the token carries no expiry (not a JWT with 'exp'): set token.notAfter"
                            + " (and token.notBefore) in the profile");
        }
        if (facts.notBefore() != null && !facts.notBefore().isBefore(facts.notAfter())) {
            throw FerryException.usage(tokenFile + ": the token's window is empty (notBefore " + facts.notBefore()
                    + " is not before notAfter " + facts.notAfter() + ")");
        }
        if (!now.isBefore(facts.notAfter())) {
            throw FerryException.validity(
                    tokenFile + ": the token expired at " + facts.notAfter() + "; ask the platform for a new token");
        }
        if (facts.notAfter().isBefore(bundleExpiresAt)) {
            long days = Math.max(0, Duration.between(now, facts.notAfter()).toDays());
            warnings.add("the token expires at " + facts.notAfter() + " (in " + days
                    + " days), before the bundle does (" + bundleExpiresAt
                    + "): install within that window, or re-register later with installer register");
        }
        return facts;
    }

    private static byte[] readToken(Path tokenFile) {
        byte[] token = BoundedInput.read(tokenFile, MAX_TOKEN_BYTES, "token");
        if (token.length == 0) {
            throw FerryException.usage(tokenFile + ": the token file is empty");
        }
        return token;
    }
}
