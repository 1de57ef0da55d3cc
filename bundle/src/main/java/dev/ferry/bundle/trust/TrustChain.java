package dev.ferry.bundle.trust;

import dev.ferry.keys.SignatureCount;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * The trust documents a host has accepted, version 1 to N (SPEC section 10). Like go-tuf's trusted metadata, the
 * type enforces the order: a chain only comes from {@link #pin} (version 1, signed by its own root threshold) and
 * grows only through {@link #update} (N+1, signed by N's root threshold and by its own), so holding a
 * {@code TrustChain} means every step was checked. Immutable: a failed update leaves the chain as it was.
 *
 * <p>An expired version in force does not stop an update (an expired document must never leave a host that cannot
 * be repaired); it only stops bundles, in {@link #requireCurrent}.
 */
public final class TrustChain {
    private final List<SignedTrust> versions;

    private TrustChain(List<SignedTrust> versions) {
        this.versions = List.copyOf(versions);
    }

    /** Pins version 1: the out-of-band decision to trust its root keys. */
    public static TrustChain pin(SignedTrust first) {
        if (first.version() != 1) {
            throw new TrustGapException(first.source(), 0, first.version());
        }
        requireThreshold(
                first, "root", first.ownRootCount(), first.document().root().threshold(), 1);
        return new TrustChain(List.of(first));
    }

    /** A stored chain checked again from version 1, so a file changed on disk is caught, not believed. */
    public static TrustChain replay(List<SignedTrust> stored) {
        if (stored.isEmpty()) {
            throw new IllegalArgumentException("a chain has at least version 1");
        }
        TrustChain chain = pin(stored.get(0));
        for (SignedTrust next : stored.subList(1, stored.size())) {
            chain = chain.update(next);
        }
        return chain;
    }

    /** The chain with {@code next} as the version in force; refuses a repeat, rollback, gap or short signature. */
    public TrustChain update(SignedTrust next) {
        TrustDocument current = current();
        if (next.version() <= current.version()) {
            throw new TrustRollbackException(next.source(), current.version(), next.version());
        }
        if (next.version() != current.version() + 1) {
            throw new TrustGapException(next.source(), current.version(), next.version());
        }
        requireThreshold(
                next,
                "root",
                next.envelope().count(current.rootKeysInForce()),
                current.root().threshold(),
                current.version());
        requireThreshold(
                next, "root", next.ownRootCount(), next.document().root().threshold(), next.version());
        List<SignedTrust> grown = new ArrayList<>(versions);
        grown.add(next);
        return new TrustChain(grown);
    }

    /** Applies every document newer than the version in force, in order; older ones (history) are passed over. */
    public TrustChain updateWithNewer(List<SignedTrust> carried) {
        TrustChain chain = this;
        for (SignedTrust next : carried) {
            if (next.version() > chain.version()) {
                chain = chain.update(next);
            }
        }
        return chain;
    }

    private static void requireThreshold(
            SignedTrust doc, String role, SignatureCount count, int threshold, long keysOf) {
        if (!count.meets(threshold)) {
            throw new TrustSignatureException(
                    doc.source(), "trust version " + doc.version(), role, keysOf, threshold, count);
        }
    }

    /** The version in force, refused when expired (bundles are judged only by a current document). */
    public TrustDocument requireCurrent(Clock clock, String source) {
        TrustDocument doc = current();
        if (doc.isExpiredAt(clock.instant())) {
            throw new TrustExpiredException(source, doc.version(), doc.expiresAt());
        }
        return doc;
    }

    public TrustDocument current() {
        return versions.get(versions.size() - 1).document();
    }

    public long version() {
        return current().version();
    }

    /** Every version from 1, oldest first. */
    public List<SignedTrust> versions() {
        return versions;
    }

    /** The versions this chain has beyond {@code older}'s: what an update added. */
    public List<SignedTrust> newerThan(long version) {
        return versions.stream().filter(v -> v.version() > version).toList();
    }
}
