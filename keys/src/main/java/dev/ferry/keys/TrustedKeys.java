package dev.ferry.keys;

import dev.ferry.common.FerryException;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

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
        Map<String, PublicKey> byId = new TreeMap<>();
        for (Path file : files) {
            add(byId, PublicKeys.read(file));
        }
        for (Path dir : trustDirs) {
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (DirectoryStream<Path> pems = Files.newDirectoryStream(dir, "*.pub.pem")) {
                for (Path pem : pems) {
                    add(byId, PublicKeys.read(pem));
                }
            } catch (IOException e) {
                throw FerryException.usage(dir + ": cannot read trusted keys: " + e.getMessage());
            }
        }
        return new TrustedKeys(byId);
    }

    private static void add(Map<String, PublicKey> byId, PublicKey key) {
        byId.put(KeyId.of(key), key);
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
