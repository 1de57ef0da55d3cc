package dev.ferry.bundle.trust;

import java.security.PublicKey;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A {@code ferry-trust/1} document (SPEC section 10), the payload of a trust envelope: which root keys may sign the
 * next version, which release keys sign bundles, what is revoked, and until when it holds.
 */
public record TrustDocument(
        long version, Instant expiresAt, Role root, Role release, Set<String> revokedKeys, Set<String> revokedTokens) {
    public static final String FORMAT = "ferry-trust/1";
    public static final String PAYLOAD_TYPE = "application/vnd.ferry.trust+json";

    public TrustDocument {
        revokedKeys = Collections.unmodifiableSet(new TreeSet<>(revokedKeys));
        revokedTokens = Collections.unmodifiableSet(new TreeSet<>(revokedTokens));
    }

    /** The release keys whose signatures count toward the release threshold: named and not revoked. */
    public Map<String, PublicKey> releaseKeysInForce() {
        return inForce(release);
    }

    /** The root keys whose signatures count toward the next version's root threshold: named and not revoked. */
    public Map<String, PublicKey> rootKeysInForce() {
        return inForce(root);
    }

    private Map<String, PublicKey> inForce(Role role) {
        Map<String, PublicKey> keys = new TreeMap<>(role.keys());
        keys.keySet().removeAll(revokedKeys);
        return keys;
    }

    public boolean isExpiredAt(Instant now) {
        return !now.isBefore(expiresAt);
    }
}
