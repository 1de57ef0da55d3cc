package dev.ferry.installer.trust;

import dev.ferry.bundle.TokenFacts;
import dev.ferry.bundle.TokenInfo;
import dev.ferry.bundle.trust.RevokedTokenException;
import dev.ferry.bundle.trust.TrustChain;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * {@code register} refuses a token the pinned chain revokes (SPEC section 10, exit 6) before anything changes. A
 * JWT's id is its {@code jti}; an opaque token has no id to revoke, so only its window applies. Only the id is ever
 * named, never the token.
 */
public final class TokenRevocation {
    private static final long MAX_TOKEN_BYTES = 64 * 1024;

    private TokenRevocation() {}

    public static void refuseRevoked(HostTrust store, Path tokenFile) {
        Optional<TrustChain> chain = store.load();
        if (chain.isEmpty() || chain.get().current().revokedTokens().isEmpty()) {
            return;
        }
        String token;
        try {
            if (!Files.isRegularFile(tokenFile) || Files.size(tokenFile) > MAX_TOKEN_BYTES) {
                return; // register itself words what is wrong with the file
            }
            token = new String(Files.readAllBytes(tokenFile), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return;
        }
        Optional<String> id =
                TokenFacts.fromJwt(token, tokenFile.toString(), null).map(TokenInfo::id);
        if (id.isPresent() && chain.get().current().revokedTokens().contains(id.get())) {
            throw new RevokedTokenException(
                    tokenFile.toString(), id.get(), chain.get().version());
        }
    }
}
