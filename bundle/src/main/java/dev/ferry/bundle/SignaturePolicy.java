package dev.ferry.bundle;

import java.util.List;
import java.util.Map;

/**
 * The verifier's trust stage: which of a manifest's signatures count and whether they are enough. v1 trusts any one
 * key of a flat set; a pinned trust chain (SPEC section 10, {@code dev.ferry.bundle.trust.ReleaseThreshold}) asks
 * for a threshold of release keys that are not revoked, after applying the trust documents the bundle carries.
 */
public interface SignaturePolicy {
    /**
     * @param signatures the {@code signatures/KEYID.sig} entries, by the key id their names claim
     * @param carried the bundle's {@code trust/} entries, oldest first (empty for most bundles)
     * @return the key ids whose signatures count
     * @throws dev.ferry.common.FerryException when the signatures are not enough
     */
    List<String> signers(
            byte[] manifestBytes, Map<String, byte[]> signatures, List<CarriedTrust> carried, String source);

    /** Checks on the decoded, signed manifest (a revoked token, say); nothing by default. */
    default void checkManifest(Manifest manifest, String source) {}

    /** The trust version in force once {@link #signers} applied the carried documents; null where there is none. */
    default Long trustVersion() {
        return null;
    }
}
