package dev.ferry.bundler.trust;

import dev.ferry.bundle.trust.Role;
import dev.ferry.bundle.trust.SignedTrust;
import dev.ferry.bundle.trust.TrustDocument;
import dev.ferry.common.FerryException;
import dev.ferry.keys.KeyId;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * New, unsigned trust documents for the key ceremony (SPEC section 10): version 1 ({@code trust init}) and the next
 * version of an existing one ({@code trust next}). A draft that could never be signed or used (a threshold above its
 * keys, a key removed that is not there) is a usage error here, before anyone signs it.
 */
public final class TrustDrafts {
    public static final int DEFAULT_EXPIRES_DAYS = 365;

    /** What {@code trust next} changes; nulls and empty lists change nothing. */
    public record Changes(
            List<PublicKey> addRoot,
            List<String> removeRoot,
            List<PublicKey> addRelease,
            List<String> removeRelease,
            Integer rootThreshold,
            Integer releaseThreshold,
            List<String> revokeKeys,
            List<String> revokeTokens,
            Integer expiresDays) {}

    private TrustDrafts() {}

    public static TrustDocument init(
            List<PublicKey> rootKeys,
            int rootThreshold,
            List<PublicKey> releaseKeys,
            int releaseThreshold,
            Integer expiresDays,
            Clock clock) {
        TrustDocument doc = new TrustDocument(
                1,
                expiry(expiresDays, clock),
                role("root", byId(rootKeys), rootThreshold),
                role("release", byId(releaseKeys), releaseThreshold),
                Set.of(),
                Set.of());
        return checked(doc);
    }

    public static TrustDocument next(SignedTrust previous, Changes c, Clock clock) {
        TrustDocument prev = previous.document();
        Map<String, PublicKey> root = edit(prev.root().keys(), c.addRoot(), c.removeRoot(), "--remove-root-key");
        Map<String, PublicKey> release =
                edit(prev.release().keys(), c.addRelease(), c.removeRelease(), "--remove-release-key");
        Set<String> revokedKeys = new LinkedHashSet<>(prev.revokedKeys());
        for (String id : c.revokeKeys()) {
            if (!KeyId.looksValid(id)) {
                throw FerryException.usage("--revoke-key: " + id + " is not a key id (16 lowercase hex digits)");
            }
            revokedKeys.add(id);
        }
        Set<String> revokedTokens = new LinkedHashSet<>(prev.revokedTokens());
        revokedTokens.addAll(c.revokeTokens());
        Instant expires = c.expiresDays() != null
                ? expiry(c.expiresDays(), clock)
                : later(prev.expiresAt(), expiry(DEFAULT_EXPIRES_DAYS, clock));
        int rootThreshold =
                c.rootThreshold() != null ? c.rootThreshold() : prev.root().threshold();
        int releaseThreshold = c.releaseThreshold() != null
                ? c.releaseThreshold()
                : prev.release().threshold();
        TrustDocument doc = new TrustDocument(
                prev.version() + 1,
                expires,
                role("root", root, rootThreshold),
                role("release", release, releaseThreshold),
                revokedKeys,
                revokedTokens);
        return checked(doc);
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static Map<String, PublicKey> edit(
            Map<String, PublicKey> keys, List<PublicKey> add, List<String> remove, String option) {
        Map<String, PublicKey> edited = new TreeMap<>(keys);
        for (String id : remove) {
            if (edited.remove(id) == null) {
                throw FerryException.usage(option + ": " + id + " is not a key of the previous version");
            }
        }
        edited.putAll(byId(add));
        return edited;
    }

    private static Map<String, PublicKey> byId(List<PublicKey> keys) {
        Map<String, PublicKey> byId = new TreeMap<>();
        keys.forEach(k -> byId.put(KeyId.of(k), k));
        return byId;
    }

    private static Role role(String name, Map<String, PublicKey> keys, int threshold) {
        if (keys.isEmpty()) {
            throw FerryException.usage(name + ": at least one key (--" + name + "-key PUB)");
        }
        if (threshold < 1) {
            throw FerryException.usage("--" + name + "-threshold: at least 1, got " + threshold);
        }
        return new Role(threshold, keys);
    }

    private static TrustDocument checked(TrustDocument doc) {
        for (Role role : List.of(doc.root(), doc.release())) {
            String name = role == doc.root() ? "root" : "release";
            long inForce = role.keys().keySet().stream()
                    .filter(id -> !doc.revokedKeys().contains(id))
                    .count();
            if (role.threshold() > inForce) {
                throw FerryException.usage("--" + name + "-threshold " + role.threshold() + " is more than the "
                        + inForce + " " + name + " key(s) that are not revoked: nobody could ever sign it");
            }
        }
        return doc;
    }

    private static Instant expiry(Integer days, Clock clock) {
        int d = days == null ? DEFAULT_EXPIRES_DAYS : days;
        if (d < 1 || d > 3650) {
            throw FerryException.usage("--expires-days: 1 to 3650, got " + d);
        }
        return clock.instant().truncatedTo(ChronoUnit.SECONDS).plus(Duration.ofDays(d));
    }
}
