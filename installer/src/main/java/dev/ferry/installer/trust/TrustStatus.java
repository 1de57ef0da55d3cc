package dev.ferry.installer.trust;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.ferry.bundle.trust.TrustChain;
import dev.ferry.bundle.trust.TrustDocument;
import dev.ferry.common.FerryException;
import java.time.Instant;
import java.util.Optional;

/**
 * The trust part of {@code installer status} (and so of diagnose and the Ansible fleet report): the version in
 * force, its expiry, and whether the installed token is revoked. {@code problem} says why the chain could not be
 * read, instead of failing the whole status.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TrustStatus(
        boolean pinned, Long version, Instant expiresAt, Boolean expired, Boolean tokenRevoked, String problem) {
    public static TrustStatus of(HostTrust store, String tokenIdOrNull, Instant now) {
        Optional<TrustChain> chain;
        try {
            chain = store.load();
        } catch (FerryException e) {
            return new TrustStatus(true, null, null, null, null, e.getMessage());
        }
        if (chain.isEmpty()) {
            return new TrustStatus(false, null, null, null, null, null);
        }
        TrustDocument doc = chain.get().current();
        return new TrustStatus(
                true,
                doc.version(),
                doc.expiresAt(),
                doc.isExpiredAt(now),
                tokenIdOrNull != null && doc.revokedTokens().contains(tokenIdOrNull),
                null);
    }

    /** One line for the human status. */
    public String describe() {
        if (problem != null) {
            return "CANNOT BE READ: " + problem;
        }
        if (!pinned) {
            return "no chain pinned (any key in trust.d/)";
        }
        return "version " + version + ", expires " + expiresAt
                + (Boolean.TRUE.equals(expired) ? " (EXPIRED: carry a newer trust document)" : "");
    }
}
