package dev.ferry.keys;

import java.nio.file.Path;
import java.security.PublicKey;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The public keys a verifier trusts, by key id (SPEC section 2). Loaded from {@code --trust} files, every
 * {@code *.pub.pem} of a trust folder ({@code <root>/etc/ferry/trust.d/}), and keys embedded in a packaged installer.
 * Being empty is allowed here; the verifier refuses to verify with no trusted key.
 */
public final class TrustedKeys {
    private final Map<String, PublicKey> byId;

    private TrustedKeys(Map<String, PublicKey> byId) {
        this.byId = Map.copyOf(byId);
    }

    public static TrustedKeys of(Map<String, PublicKey> byId) {
        return new TrustedKeys(byId);
    }

    /**
     * @param files explicit {@code --trust} files (an unreadable or invalid one is a usage error naming it)
     * @param trustDirs folders whose {@code *.pub.pem} are trusted; a missing folder is simply empty
     */
    public static TrustedKeys load(List<Path> files, List<Path> trustDirs) {
        throw new UnsupportedOperationException("TODO(keys)");
    }

    public Optional<PublicKey> get(String keyId) {
        return Optional.ofNullable(byId.get(keyId));
    }

    public Set<String> ids() {
        return byId.keySet();
    }

    public boolean isEmpty() {
        return byId.isEmpty();
    }
}
