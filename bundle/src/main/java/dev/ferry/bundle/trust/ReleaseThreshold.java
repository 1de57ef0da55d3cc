package dev.ferry.bundle.trust;

import dev.ferry.bundle.CarriedTrust;
import dev.ferry.bundle.Manifest;
import dev.ferry.bundle.SignaturePolicy;
import dev.ferry.common.FerryException;
import dev.ferry.keys.SignatureCount;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The verifier's trust stage when a chain is pinned (SPEC section 10), in this order:
 * <ol>
 *   <li>apply the trust documents the bundle carries that are newer than the chain in force, one by one (a repeat or
 *       an older one is history and passed over); {@code onNewer} hears of the grown chain at once, so a host keeps a
 *       revocation even when the bundle then fails;
 *   <li>refuse when the version now in force has expired (exit 6, naming the version and the remedy);
 *   <li>count the manifest's signatures by release keys that are not revoked, once per key: at least the release
 *       threshold, or exit 3 naming what did not count;
 *   <li>once the manifest is decoded: refuse a token whose id is revoked (exit 6).
 * </ol>
 */
public final class ReleaseThreshold implements SignaturePolicy {
    private final Clock clock;
    private final Consumer<TrustChain> onNewer;
    private TrustChain chain;

    public ReleaseThreshold(TrustChain pinned, Clock clock, Consumer<TrustChain> onNewer) {
        this.chain = pinned;
        this.clock = clock;
        this.onNewer = onNewer;
    }

    /** Judges in memory only ({@code verify}): carried documents are applied but not kept. */
    public static ReleaseThreshold inMemory(TrustChain pinned, Clock clock) {
        return new ReleaseThreshold(pinned, clock, grown -> {});
    }

    @Override
    public List<String> signers(
            byte[] manifestBytes, Map<String, byte[]> signatures, List<CarriedTrust> carried, String source) {
        applyCarried(carried, source);
        TrustDocument doc = chain.requireCurrent(clock, source);
        List<SignatureCount.Claim> claims = new ArrayList<>();
        signatures.forEach((keyId, sig) -> claims.add(new SignatureCount.Claim(keyId, sig)));
        SignatureCount count = SignatureCount.of(manifestBytes, claims, doc.releaseKeysInForce());
        int threshold = doc.release().threshold();
        if (!count.meets(threshold)) {
            List<String> revoked = signatures.keySet().stream()
                    .filter(doc.revokedKeys()::contains)
                    .toList();
            String what = revoked.isEmpty()
                    ? "the bundle"
                    : "the bundle (revoked in this version: " + String.join(", ", revoked) + ")";
            throw new TrustSignatureException(source, what, "release", doc.version(), threshold, count);
        }
        return List.copyOf(count.counted());
    }

    private void applyCarried(List<CarriedTrust> carried, String source) {
        for (CarriedTrust entry : carried) {
            SignedTrust doc = SignedTrust.parse(entry.bytes(), source + ": " + entry.entryName());
            if (doc.version() != entry.version()) {
                throw FerryException.verification(
                        source + ": " + entry.entryName() + " holds trust version " + doc.version());
            }
            if (doc.version() > chain.version()) {
                // One by one, each kept as soon as it is accepted: a later bad document cannot undo an earlier
                // revocation.
                chain = chain.update(doc);
                onNewer.accept(chain);
            }
        }
    }

    @Override
    public void checkManifest(Manifest manifest, String source) {
        TrustDocument doc = chain.current();
        if (manifest.token() != null
                && doc.revokedTokens().contains(manifest.token().id())) {
            throw new RevokedTokenException(source, manifest.token().id(), doc.version());
        }
    }

    @Override
    public Long trustVersion() {
        return chain.version();
    }

    /** The chain in force after the bundle's documents were applied. */
    public TrustChain chain() {
        return chain;
    }
}
