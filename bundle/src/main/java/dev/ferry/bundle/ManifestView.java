package dev.ferry.bundle;

import dev.ferry.keys.Signatures;
import dev.ferry.keys.TrustedKeys;
import java.util.List;
import java.util.Map;

/**
 * A bundle's manifest as {@code inspect} shows it: decoded strictly, but NOT verified. {@code signatures} maps each
 * signer's key id to its 64-byte signature, in archive order; {@link #verifiedBy} says which of them check out
 * against given trusted keys.
 */
public record ManifestView(
        Manifest manifest, byte[] manifestBytes, List<String> signatureKeyIds, Map<String, byte[]> signatures) {
    /** The key ids among {@code trust} whose signature over the exact manifest bytes verifies. */
    public List<String> verifiedBy(TrustedKeys trust) {
        return signatureKeyIds.stream()
                .filter(id -> trust.get(id)
                        .map(key -> Signatures.verify(key, manifestBytes, signatures.get(id)))
                        .orElse(false))
                .toList();
    }
}
