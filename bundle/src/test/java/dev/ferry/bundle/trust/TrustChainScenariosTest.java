package dev.ferry.bundle.trust;

import static dev.ferry.bundle.trust.TrustFixture.KEYS;
import static dev.ferry.bundle.trust.TrustFixture.NOW;
import static dev.ferry.bundle.trust.TrustFixture.doc;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.bundle.dsse.Envelope;
import dev.ferry.bundle.dsse.EnvelopeCodec;
import dev.ferry.bundle.dsse.EnvelopeSignature;
import dev.ferry.common.ExitCode;
import dev.ferry.common.FerryException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The trust-chain scenarios of SPEC section 10, shaped like theupdateframework/tuf-conformance: each a named test
 * with the exit code and the reason it expects. The root rotations are tuf-conformance's own table
 * ({@code test_updater_key_rotations.py}: keys, threshold and signers by number per version).
 */
class TrustChainScenariosTest {
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    /** One version of a rotation: root keys, threshold, who signs; {@code ok} false for the version that must fail. */
    record V(int[] keys, int threshold, int[] sigs, boolean ok) {}

    static V v(int[] keys, int threshold, int[] sigs) {
        return new V(keys, threshold, sigs, true);
    }

    static V fails(int[] keys, int threshold, int[] sigs) {
        return new V(keys, threshold, sigs, false);
    }

    static int[] k(int... n) {
        return n;
    }

    static Stream<Arguments> rootRotations() {
        return Stream.of(
                Arguments.of("1-of-1-key-rotation", List.of(v(k(1), 1, k(1)), v(k(2), 1, k(2, 1)), v(k(2), 1, k(2)))),
                Arguments.of(
                        "1-of-1-key-rotation-unused-signatures",
                        List.of(v(k(1), 1, k(3, 1, 4)), v(k(2), 1, k(3, 2, 1, 4)), v(k(2), 1, k(3, 2, 4)))),
                Arguments.of(
                        "3-of-5-sign-with-different-keycombos",
                        List.of(
                                v(k(0, 1, 2, 3, 4), 3, k(0, 2, 4)),
                                v(k(0, 1, 2, 3, 4), 3, k(0, 4, 1)),
                                v(k(0, 1, 2, 3, 4), 3, k(0, 1, 3)))),
                Arguments.of(
                        "3-of-5-one-key-rotated",
                        List.of(v(k(0, 1, 2, 3, 4), 3, k(0, 2, 4)), v(k(0, 1, 3, 4, 5), 3, k(0, 4, 1)))),
                Arguments.of(
                        "3-of-5-one-key-rotated-with-intermediate-step",
                        List.of(
                                v(k(0, 1, 2, 3, 4), 3, k(0, 2, 4)),
                                v(k(0, 1, 3, 4, 5), 3, k(0, 2, 4, 5)),
                                v(k(0, 1, 3, 4, 5), 3, k(0, 4, 5)))),
                Arguments.of(
                        "3-of-5-all-keys-rotated-with-intermediate-step",
                        List.of(
                                v(k(0, 1, 2, 3, 4), 3, k(0, 2, 4)),
                                v(k(5, 6, 7, 8, 9), 3, k(0, 2, 4, 5, 6, 7)),
                                v(k(5, 6, 7, 8, 9), 3, k(5, 6, 7)))),
                Arguments.of(
                        "1-of-3-threshold-increase-to-2-of-3",
                        List.of(v(k(1, 2, 3), 1, k(1)), v(k(1, 2, 3), 2, k(1, 2)))),
                Arguments.of(
                        "2-of-3-threshold-decrease-to-1-of-3",
                        List.of(v(k(1, 2, 3), 2, k(1, 2)), v(k(1, 2, 3), 1, k(1, 2)), v(k(1, 2, 3), 1, k(1)))),
                Arguments.of("1-of-2-threshold-increase-to-2-of-2", List.of(v(k(1), 1, k(1)), v(k(1, 2), 2, k(1, 2)))),
                Arguments.of(
                        "1-of-1-rotation-to-2-of-3-and-back",
                        List.of(v(k(1), 1, k(1)), v(k(2, 3, 4), 2, k(1, 2, 3)), v(k(1), 1, k(3, 4, 1)))),
                Arguments.of(
                        "1-of-1-key-rotation-fail-not-signed-with-old-key",
                        List.of(v(k(1), 1, k(1)), fails(k(2), 1, k(2, 3, 4)))),
                Arguments.of(
                        "1-of-1-key-rotation-fail-not-signed-with-new-key",
                        List.of(v(k(1), 1, k(1)), fails(k(2), 1, k(1, 3, 4)))),
                Arguments.of(
                        "3-of-5-one-key-rotate-fails-not-signed-with-3-new-keys",
                        List.of(v(k(0, 1, 2, 3, 4), 3, k(0, 2, 4)), fails(k(0, 1, 3, 4, 5), 3, k(0, 2, 4)))),
                Arguments.of(
                        "3-of-5-one-key-rotate-fails-not-signed-with-3-old-keys",
                        List.of(v(k(0, 1, 2, 3, 4), 3, k(0, 2, 4)), fails(k(0, 1, 3, 4, 5), 3, k(0, 4, 5)))),
                Arguments.of(
                        "1-of-3-threshold-bump-to-2-of-3-fails-new-threshold-not-reached",
                        List.of(v(k(1, 2, 3), 1, k(1)), fails(k(1, 2, 3), 2, k(2)))),
                Arguments.of(
                        "2-of-3-threshold-decrease-to-1-of-3-fails-old-threshold-not-reached",
                        List.of(v(k(1, 2, 3), 2, k(1, 2)), fails(k(1, 2, 3), 1, k(1)))),
                Arguments.of(
                        "2-of-3-back-to-1-of-1-fails-signed-by-one-old-key",
                        List.of(v(k(1), 1, k(1)), v(k(2, 3, 4), 2, k(1, 2, 3)), fails(k(1), 1, k(2, 1)))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rootRotations")
    void rootRotation(String name, List<V> versions) {
        List<SignedTrust> docs = new ArrayList<>();
        for (int i = 0; i < versions.size(); i++) {
            V v = versions.get(i);
            docs.add(doc(i + 1).root(v.threshold(), v.keys()).release(1, 9).signedBy(v.sigs()));
        }
        TrustChain chain = TrustChain.pin(docs.get(0));
        V last = versions.get(versions.size() - 1);
        for (SignedTrust next : docs.subList(1, docs.size() - 1)) {
            chain = chain.update(next);
        }
        SignedTrust lastDoc = docs.get(docs.size() - 1);
        if (docs.size() == 1) {
            return;
        }
        if (last.ok()) {
            assertThat(chain.update(lastDoc).version()).isEqualTo(docs.size());
        } else {
            TrustChain before = chain;
            assertThatThrownBy(() -> before.update(lastDoc))
                    .isInstanceOf(TrustSignatureException.class)
                    .satisfies(e -> assertThat(((FerryException) e).exitCode()).isEqualTo(ExitCode.VERIFICATION))
                    .hasMessageContaining("is not signed by");
            assertThat(before.version()).isEqualTo(docs.size() - 1);
        }
    }

    @Test
    void version1SignedByItsRootThresholdIsPinned() {
        TrustChain chain = TrustChain.pin(doc(1).root(2, 0, 1, 2).signedBy(0, 2));
        assertThat(chain.version()).isEqualTo(1);
    }

    @Test
    void thresholdNotMet_exit3() {
        assertThatThrownBy(() -> TrustChain.pin(doc(1).root(2, 0, 1, 2).signedBy(1)))
                .isInstanceOf(TrustSignatureException.class)
                .hasMessage(
                        "1.trust.json: trust version 1 is not signed by 2 root key(s) of trust version 1: 1 of 2 counted ("
                                + KEYS[1].keyId() + ")")
                .satisfies(e -> assertThat(((FerryException) e).exitCode()).isEqualTo(ExitCode.VERIFICATION))
                .satisfies(e -> assertThat(((FerryException) e).reason().code()).isEqualTo("threshold-not-met"));
    }

    @Test
    void duplicateSignaturesCountOnce_exit3() {
        assertThatThrownBy(() -> TrustChain.pin(doc(1).root(2, 0, 1, 2).signedBy(0, 0, 0)))
                .isInstanceOf(TrustSignatureException.class)
                .hasMessageContaining("1 of 2 counted")
                .hasMessageContaining(KEYS[0].keyId() + " (a repeat of a key already counted)");
    }

    @Test
    void oneKeyUnderTwoKeyIdsCountsOnce_exit3() {
        // The same signature once under the key's id and once under another root key's id: only one verifies.
        SignedTrust one = doc(1).root(2, 0, 1).signedBy(0);
        Envelope env = one.envelope();
        byte[] sig = env.signatures().get(0).sig();
        Envelope aliased = new Envelope(
                env.payloadType(),
                env.payload(),
                List.of(new EnvelopeSignature(KEYS[0].keyId(), sig), new EnvelopeSignature(KEYS[1].keyId(), sig)));
        SignedTrust doc = TrustFixture.reparse(one.withEnvelope(aliased));
        assertThatThrownBy(() -> TrustChain.pin(doc))
                .isInstanceOf(TrustSignatureException.class)
                .hasMessageContaining("1 of 2 counted")
                .hasMessageContaining(KEYS[1].keyId() + " (does not verify)");
    }

    @Test
    void aKeyNamedUnderAnotherKeysIdIsAMalformedDocument_exit3() {
        String json = new String(doc(1).root(1, 0).signedBy(0).envelope().payload(), StandardCharsets.UTF_8)
                .replace("\"" + KEYS[0].keyId() + "\"", "\"" + KEYS[3].keyId() + "\"");
        assertThatThrownBy(() -> TrustDocumentCodec.decode(json.getBytes(StandardCharsets.UTF_8), "1.trust.json"))
                .hasMessageContaining("not the one it is named under")
                .satisfies(e -> assertThat(((FerryException) e).exitCode()).isEqualTo(ExitCode.VERIFICATION));
    }

    @Test
    void signatureByAKeyTheDocumentDoesNotName_exit3() {
        assertThatThrownBy(() -> TrustChain.pin(doc(1).root(1, 0).signedBy(7)))
                .hasMessageContaining("0 of 1 counted; not counted: " + KEYS[7].keyId() + " (by a key not named here)");
    }

    @Test
    void invalidSignatureBesideValidOnesDoesNotStopTheThreshold() {
        SignedTrust good = doc(1).root(2, 0, 1, 2).signedBy(0, 1, 2);
        Envelope env = good.envelope();
        List<EnvelopeSignature> sigs = new ArrayList<>(env.signatures());
        byte[] broken = sigs.get(1).sig();
        broken[5] ^= 0x40;
        sigs.set(1, new EnvelopeSignature(sigs.get(1).keyId(), broken));
        SignedTrust doc = TrustFixture.reparse(good.withEnvelope(new Envelope(env.payloadType(), env.payload(), sigs)));
        assertThat(TrustChain.pin(doc).version()).isEqualTo(1);
        assertThat(doc.ownRootCount().ignored())
                .extracting(i -> i.why().words())
                .containsExactly("does not verify");
    }

    @Test
    void invalidSignatureBesideOneValidIsShort_exit3() {
        SignedTrust good = doc(1).root(2, 0, 1).signedBy(0, 1);
        Envelope env = good.envelope();
        String tampered = new String(EnvelopeCodec.encode(env), StandardCharsets.UTF_8)
                .replace(
                        Base64.getEncoder()
                                .encodeToString(env.signatures().get(1).sig()),
                        Base64.getEncoder().encodeToString(KEYS[0].sign(env.pae())));
        SignedTrust doc = SignedTrust.parse(tampered.getBytes(StandardCharsets.UTF_8), "1.trust.json");
        assertThatThrownBy(() -> TrustChain.pin(doc))
                .hasMessageContaining("1 of 2 counted")
                .hasMessageContaining(KEYS[1].keyId() + " (does not verify)");
    }

    @Test
    void firstPinnedVersionMustBe1_exit3() {
        assertThatThrownBy(() -> TrustChain.pin(doc(2).signedBy(0))).isInstanceOf(TrustGapException.class);
    }

    @Test
    void trustRollback_exit6() {
        SignedTrust v1 = doc(1).signedBy(0);
        TrustChain chain = TrustChain.pin(v1).update(doc(2).signedBy(0)).update(doc(3).signedBy(0));
        assertThatThrownBy(() -> chain.update(v1))
                .isInstanceOf(TrustRollbackException.class)
                .hasMessage(
                        "1.trust.json: trust version 1 is older than version 3 in force (a rollback); only a newer version can be applied")
                .satisfies(e -> {
                    TrustRollbackException r = (TrustRollbackException) e;
                    assertThat(r.current()).isEqualTo(3);
                    assertThat(r.found()).isEqualTo(1);
                    assertThat(r.exitCode()).isEqualTo(ExitCode.VALIDITY);
                    assertThat(r.reason().code()).isEqualTo("trust-rollback");
                });
    }

    @Test
    void trustRepeat_exit6() {
        SignedTrust v2 = doc(2).signedBy(0);
        TrustChain chain = TrustChain.pin(doc(1).signedBy(0)).update(v2);
        assertThatThrownBy(() -> chain.update(v2))
                .isInstanceOf(TrustRollbackException.class)
                .hasMessageContaining("trust version 2 is already in force (a repeat)");
    }

    @Test
    void versionGap_exit3() {
        TrustChain chain = TrustChain.pin(doc(1).signedBy(0));
        assertThatThrownBy(() -> chain.update(doc(4).signedBy(0)))
                .isInstanceOf(TrustGapException.class)
                .hasMessageContaining("trust version 4 does not follow version 1 in force: apply versions 2 to 3 first")
                .satisfies(e -> assertThat(((FerryException) e).exitCode()).isEqualTo(ExitCode.VERIFICATION))
                .satisfies(e -> assertThat(((FerryException) e).reason().code()).isEqualTo("trust-version-gap"));
    }

    @Test
    void expiredTrustRefusesBundlesButAcceptsANewerVersion_exit6() {
        TrustChain chain = TrustChain.pin(doc(1).expiresAt(NOW.minusSeconds(1)).signedBy(0));
        assertThatThrownBy(() -> chain.requireCurrent(CLOCK, "b.bundle"))
                .isInstanceOf(TrustExpiredException.class)
                .hasMessageContaining("trust version 1 in force on this host expired on " + NOW.minusSeconds(1))
                .hasMessageContaining("carry a newer trust document")
                .satisfies(e -> assertThat(((FerryException) e).exitCode()).isEqualTo(ExitCode.VALIDITY))
                .satisfies(e -> assertThat(((FerryException) e).reason().code()).isEqualTo("trust-expired"));
        TrustChain renewed = chain.update(doc(2).signedBy(0));
        assertThat(renewed.requireCurrent(CLOCK, "b.bundle").version()).isEqualTo(2);
    }

    @Test
    void expiryIsTheInstantItself() {
        TrustChain chain = TrustChain.pin(doc(1).expiresAt(NOW).signedBy(0));
        assertThatThrownBy(() -> chain.requireCurrent(CLOCK, "b")).isInstanceOf(TrustExpiredException.class);
        assertThat(chain.requireCurrent(Clock.fixed(NOW.minusSeconds(1), ZoneOffset.UTC), "b")
                        .version())
                .isEqualTo(1);
    }

    @Test
    void mixAndMatchADocumentFromAnotherChain_exit3() {
        TrustChain ours = TrustChain.pin(doc(1).root(1, 0).signedBy(0));
        SignedTrust theirs = doc(2).root(1, 4).signedBy(4);
        assertThatThrownBy(() -> ours.update(theirs))
                .isInstanceOf(TrustSignatureException.class)
                .hasMessageContaining("root key(s) of trust version 1: 0 of 1 counted; not counted: " + KEYS[4].keyId()
                        + " (by a key not named here)");
    }

    @Test
    void aRevokedRootKeyDoesNotSignTheNextVersion_exit3() {
        TrustChain chain = TrustChain.pin(doc(1).root(1, 0, 1).signedBy(0))
                .update(doc(2).root(1, 0, 1).revokeKeys(1).signedBy(0));
        assertThatThrownBy(() -> chain.update(doc(3).root(1, 0, 1).signedBy(1)))
                .isInstanceOf(TrustSignatureException.class);
    }

    @Test
    void aThresholdThatCanNeverBeMetIsMalformed_exit3() {
        assertThatThrownBy(
                        () -> doc(1).root(1, 0).release(2, 5, 6).revokeKeys(6).signedBy(0))
                .hasMessageContaining("release.threshold 2 can never be met: 1 key(s) that are not revoked");
    }

    @Test
    void replayingAStoredChainChecksEveryStep() {
        List<SignedTrust> stored = List.of(
                doc(1).signedBy(0),
                doc(2).root(1, 1).signedBy(0, 1),
                doc(3).root(1, 1).signedBy(0));
        assertThatThrownBy(() -> TrustChain.replay(stored))
                .isInstanceOf(TrustSignatureException.class)
                .hasMessageContaining("trust version 3");
    }

    @Test
    void anEnvelopeOfAnotherPayloadTypeIsNotATrustDocument_exit3() {
        Envelope provenance = Envelope.unsigned(
                        "application/vnd.in-toto+json",
                        doc(1).signedBy(0).envelope().payload())
                .signedBy(KEYS[0]);
        assertThatThrownBy(() -> SignedTrust.parse(EnvelopeCodec.encode(provenance), "x.json"))
                .hasMessageContaining("not a trust document");
    }
}
