package dev.ferry.bundle.trust;

import dev.ferry.keys.SignatureCount;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code trust show} reports of one document (both programs; {@code --json} prints it as is): version, expiry,
 * thresholds, key ids, revocations and, for each set of keys asked, which signatures count. Public keys and key ids
 * only: a trust document holds nothing secret.
 */
public final class TrustSummary {
    private TrustSummary() {}

    /**
     * A document with its signature counts: by its own root keys and, when {@code previousOrNull} is given, by the
     * previous version's root keys (both must be met for it to follow that version).
     */
    public static Map<String, Object> of(SignedTrust doc, TrustDocument previousOrNull, Instant now) {
        Map<String, SignatureCount> counts = new LinkedHashMap<>();
        Map<String, Integer> thresholds = new LinkedHashMap<>();
        if (previousOrNull != null) {
            String label = "root keys of version " + previousOrNull.version();
            counts.put(label, doc.envelope().count(previousOrNull.rootKeysInForce()));
            thresholds.put(label, previousOrNull.root().threshold());
        }
        counts.put("own root keys", doc.ownRootCount());
        thresholds.put("own root keys", doc.document().root().threshold());
        return of(doc.document(), now, counts, thresholds);
    }

    /** @param counts by a label such as {@code "own root"}: the signature count against those keys */
    public static Map<String, Object> of(
            TrustDocument doc, Instant now, Map<String, SignatureCount> counts, Map<String, Integer> thresholds) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("format", TrustDocument.FORMAT);
        out.put("version", doc.version());
        out.put("expiresAt", doc.expiresAt().toString());
        out.put("expired", doc.isExpiredAt(now));
        out.put("root", role(doc.root()));
        out.put("release", role(doc.release()));
        Map<String, Object> revoked = new LinkedHashMap<>();
        revoked.put("keys", List.copyOf(doc.revokedKeys()));
        revoked.put("tokens", List.copyOf(doc.revokedTokens()));
        out.put("revoked", revoked);
        Map<String, Object> signatures = new LinkedHashMap<>();
        counts.forEach((label, count) -> {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("threshold", thresholds.get(label));
            c.put("met", count.meets(thresholds.get(label)));
            c.put("counted", List.copyOf(count.counted()));
            List<Map<String, String>> ignored = new ArrayList<>();
            for (SignatureCount.Ignored i : count.ignored()) {
                ignored.add(Map.of("keyId", i.keyId(), "why", i.why().words()));
            }
            c.put("notCounted", ignored);
            signatures.put(label, c);
        });
        out.put("signatures", signatures);
        return out;
    }

    private static Map<String, Object> role(Role role) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("threshold", role.threshold());
        out.put("keys", List.copyOf(role.keys().keySet()));
        return out;
    }

    /** The same facts as lines for a terminal. */
    @SuppressWarnings("unchecked")
    public static List<String> lines(Map<String, Object> summary) {
        List<String> lines = new ArrayList<>();
        lines.add("trust      version " + summary.get("version") + " (" + TrustDocument.FORMAT + ")");
        lines.add("expires    " + summary.get("expiresAt")
                + (Boolean.TRUE.equals(summary.get("expired")) ? " (EXPIRED)" : ""));
        for (String role : List.of("root", "release")) {
            Map<String, Object> r = (Map<String, Object>) summary.get(role);
            lines.add(String.format(
                    "%-10s %s of %s: %s",
                    role, r.get("threshold"), ((List<?>) r.get("keys")).size(), String.join(", ", (List<String>)
                            r.get("keys"))));
        }
        Map<String, Object> revoked = (Map<String, Object>) summary.get("revoked");
        lines.add("revoked    keys: " + joinOrNone((List<String>) revoked.get("keys")) + "; tokens: "
                + joinOrNone((List<String>) revoked.get("tokens")));
        Map<String, Object> signatures = (Map<String, Object>) summary.get("signatures");
        signatures.forEach((label, value) -> {
            Map<String, Object> c = (Map<String, Object>) value;
            StringBuilder line = new StringBuilder(String.format(
                    "signed     %s: %d of %s counted%s",
                    label,
                    ((List<?>) c.get("counted")).size(),
                    c.get("threshold"),
                    Boolean.TRUE.equals(c.get("met")) ? " (met)" : " (NOT met)"));
            for (String id : (List<String>) c.get("counted")) {
                line.append("\n             ").append(id).append(" counts");
            }
            for (Map<String, String> i : (List<Map<String, String>>) c.get("notCounted")) {
                line.append("\n             ")
                        .append(i.get("keyId"))
                        .append(" does not count: ")
                        .append(i.get("why"));
            }
            lines.add(line.toString());
        });
        return lines;
    }

    private static String joinOrNone(List<String> values) {
        return values.isEmpty() ? "none" : String.join(", ", values);
    }
}
