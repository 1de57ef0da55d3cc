package dev.ferry.bundle.trust;

import dev.ferry.bundle.CarriedTrust;
import dev.ferry.bundle.dsse.Envelope;
import dev.ferry.bundle.dsse.EnvelopeSignature;
import dev.ferry.bundle.testing.TestKeys;
import dev.ferry.keys.SigningKey;
import java.security.PublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Ten keys by number (like tuf-conformance's signers) and trust documents made and signed from them. */
final class TrustFixture {
    static final Instant NOW = Instant.parse("2026-12-01T00:00:00Z");
    static final Instant EXPIRES = Instant.parse("2027-12-01T00:00:00Z");
    static final SigningKey[] KEYS = new SigningKey[10];

    static {
        for (int i = 0; i < KEYS.length; i++) {
            KEYS[i] = TestKeys.generate();
        }
    }

    private TrustFixture() {}

    /** A document builder: root and release keys by number. */
    static Doc doc(long version) {
        return new Doc(version);
    }

    static final class Doc {
        private final long version;
        private int[] root = {0};
        private int rootThreshold = 1;
        private int[] release = {5};
        private int releaseThreshold = 1;
        private Set<String> revokedKeys = Set.of();
        private Set<String> revokedTokens = Set.of();
        private Instant expiresAt = EXPIRES;

        Doc(long version) {
            this.version = version;
        }

        Doc root(int threshold, int... keys) {
            this.rootThreshold = threshold;
            this.root = keys;
            return this;
        }

        Doc release(int threshold, int... keys) {
            this.releaseThreshold = threshold;
            this.release = keys;
            return this;
        }

        Doc revokeKeys(int... keys) {
            List<String> ids = new ArrayList<>();
            for (int k : keys) {
                ids.add(KEYS[k].keyId());
            }
            this.revokedKeys = Set.copyOf(ids);
            return this;
        }

        Doc revokeTokens(String... ids) {
            this.revokedTokens = Set.of(ids);
            return this;
        }

        Doc expiresAt(Instant value) {
            this.expiresAt = value;
            return this;
        }

        TrustDocument document() {
            return new TrustDocument(
                    version,
                    expiresAt,
                    new Role(rootThreshold, keys(root)),
                    new Role(releaseThreshold, keys(release)),
                    revokedKeys,
                    revokedTokens);
        }

        /** Signed by the keys numbered, in that order (a number twice signs twice). */
        SignedTrust signedBy(int... signers) {
            SignedTrust unsigned = SignedTrust.unsigned(document(), version + ".trust.json");
            Envelope envelope = unsigned.envelope();
            List<EnvelopeSignature> sigs = new ArrayList<>();
            for (int s : signers) {
                sigs.add(new EnvelopeSignature(KEYS[s].keyId(), KEYS[s].sign(envelope.pae())));
            }
            Envelope signed = new Envelope(envelope.payloadType(), envelope.payload(), sigs);
            return reparse(unsigned.withEnvelope(signed));
        }
    }

    /** Through the bytes, as a host would read it. */
    static SignedTrust reparse(SignedTrust doc) {
        return SignedTrust.parse(doc.bytes(), doc.source());
    }

    static Map<String, PublicKey> keys(int... numbers) {
        Map<String, PublicKey> byId = new LinkedHashMap<>();
        for (int n : numbers) {
            byId.put(KEYS[n].keyId(), KEYS[n].publicKey());
        }
        return byId;
    }

    static List<CarriedTrust> carried(SignedTrust... docs) {
        List<CarriedTrust> entries = new ArrayList<>();
        for (SignedTrust doc : docs) {
            entries.add(new CarriedTrust(doc.version(), doc.bytes()));
        }
        return entries;
    }
}
