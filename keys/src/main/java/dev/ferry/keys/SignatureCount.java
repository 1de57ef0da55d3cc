package dev.ferry.keys;

import java.nio.ByteBuffer;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which signatures over one message count toward a threshold (SPEC section 10). A signature counts once per
 * distinct public key: two entries by the same key, or the same key named under two key ids, count once. A
 * malformed signature, one by a key the signer set does not name, one that does not verify, or a repeat never
 * counts; each of those is kept with the reason, so a refusal can say why the threshold was not met.
 *
 * @param counted the key ids whose signatures count, in the order they were found
 * @param ignored every signature that did not count, with the reason
 */
public record SignatureCount(Set<String> counted, List<Ignored> ignored) {
    public enum Why {
        MALFORMED("malformed"),
        UNKNOWN_KEY("by a key not named here"),
        INVALID("does not verify"),
        DUPLICATE("a repeat of a key already counted");

        private final String words;

        Why(String words) {
            this.words = words;
        }

        public String words() {
            return words;
        }
    }

    /** A signature that did not count; {@code keyId} is as claimed (printable, but not trusted). */
    public record Ignored(String keyId, Why why) {}

    /** One signature as found: the key id it claims and its bytes. */
    public record Claim(String keyId, byte[] sig) {}

    public SignatureCount {
        counted = Collections.unmodifiableSet(new LinkedHashSet<>(counted));
        ignored = List.copyOf(ignored);
    }

    /** @param named the keys allowed to sign, by key id */
    public static SignatureCount of(byte[] message, List<Claim> claims, Map<String, PublicKey> named) {
        Set<String> counted = new LinkedHashSet<>();
        Set<ByteBuffer> countedKeys = new HashSet<>();
        List<Ignored> ignored = new ArrayList<>();
        for (Claim claim : claims) {
            String keyId = claim.keyId();
            if (!KeyId.looksValid(keyId) || claim.sig() == null || claim.sig().length != Signatures.LENGTH) {
                ignored.add(new Ignored(printable(keyId), Why.MALFORMED));
                continue;
            }
            PublicKey key = named.get(keyId);
            if (key == null) {
                ignored.add(new Ignored(keyId, Why.UNKNOWN_KEY));
                continue;
            }
            ByteBuffer raw = ByteBuffer.wrap(PublicKeys.raw(key));
            if (countedKeys.contains(raw)) {
                ignored.add(new Ignored(keyId, Why.DUPLICATE));
            } else if (Signatures.verify(key, message, claim.sig())) {
                counted.add(keyId);
                countedKeys.add(raw);
            } else {
                ignored.add(new Ignored(keyId, Why.INVALID));
            }
        }
        return new SignatureCount(counted, ignored);
    }

    public int count() {
        return counted.size();
    }

    public boolean meets(int threshold) {
        return threshold > 0 && counted.size() >= threshold;
    }

    /** One line for an error: "1 of 2 counted (aaaa...); ignored: bbbb... (does not verify)". */
    public String describe(int threshold) {
        StringBuilder s = new StringBuilder()
                .append(count())
                .append(" of ")
                .append(threshold)
                .append(" counted");
        if (!counted.isEmpty()) {
            s.append(" (").append(String.join(", ", counted)).append(')');
        }
        if (!ignored.isEmpty()) {
            s.append("; not counted: ");
            for (int i = 0; i < ignored.size(); i++) {
                s.append(i == 0 ? "" : ", ")
                        .append(ignored.get(i).keyId())
                        .append(" (")
                        .append(ignored.get(i).why().words())
                        .append(')');
            }
        }
        return s.toString();
    }

    private static String printable(String keyId) {
        if (keyId == null) {
            return "(none)";
        }
        String cut = keyId.length() > 32 ? keyId.substring(0, 32) + "..." : keyId;
        return cut.replaceAll("[^\\x21-\\x7e]", "?");
    }
}
