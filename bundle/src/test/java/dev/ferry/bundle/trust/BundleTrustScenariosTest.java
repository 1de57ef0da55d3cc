package dev.ferry.bundle.trust;

import static dev.ferry.bundle.trust.TrustFixture.KEYS;
import static dev.ferry.bundle.trust.TrustFixture.NOW;
import static dev.ferry.bundle.trust.TrustFixture.carried;
import static dev.ferry.bundle.trust.TrustFixture.doc;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.bundle.BundleHeads;
import dev.ferry.bundle.BundleVerifier;
import dev.ferry.bundle.CarriedTrust;
import dev.ferry.bundle.PayloadSink;
import dev.ferry.bundle.VerifiedBundle;
import dev.ferry.bundle.WrittenBundle;
import dev.ferry.bundle.testing.TestBundles;
import dev.ferry.bundle.testing.TestKeys;
import dev.ferry.common.ExitCode;
import dev.ferry.common.FerryException;
import dev.ferry.keys.Signer;
import dev.ferry.keys.SigningKey;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bundles judged under a pinned chain (SPEC section 10), through the one verifier: the release threshold of keys
 * that are not revoked, revoked tokens, expired trust, and the trust documents a bundle carries. Each test names
 * the exit code and reason it expects.
 */
class BundleTrustScenariosTest {
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    @TempDir
    Path dir;

    private final List<TrustChain> kept = new ArrayList<>();

    private Path bundle(List<CarriedTrust> carrying, String tokenId, int... signers) {
        SigningKey[] keys = new SigningKey[signers.length];
        for (int i = 0; i < signers.length; i++) {
            keys[i] = KEYS[signers[i]];
        }
        WrittenBundle written = TestBundles.bundle("agent", "1.0.0")
                .createdAt(NOW.minus(Duration.ofHours(1)))
                .token(tokenId, NOW.minus(Duration.ofHours(1)), NOW.plus(Duration.ofDays(7)), "SECRET")
                .file("payload/runtime/bin/agent", "#!/bin/sh\n", "0755")
                .carrying(carrying)
                .signedBy(keys)
                .writeTo(dir.resolve("out-" + System.nanoTime()));
        return written.path();
    }

    private Path bundle(int... signers) {
        return bundle(List.of(), "tok-1", signers);
    }

    private VerifiedBundle verify(TrustChain pinned, Path bundle) {
        return new BundleVerifier(new ReleaseThreshold(pinned, CLOCK, kept::add), CLOCK)
                .verify(bundle, PayloadSink.discard());
    }

    private static TrustChain twoOfThree() {
        return TrustChain.pin(doc(1).root(1, 0).release(2, 5, 6, 7).signedBy(0));
    }

    private static void assertExit(Throwable e, ExitCode code) {
        assertThat(((FerryException) e).exitCode()).isEqualTo(code);
    }

    @Test
    void releaseThresholdMet() {
        assertThat(verify(twoOfThree(), bundle(5, 7)).signerKeyIds())
                .containsExactlyInAnyOrder(KEYS[5].keyId(), KEYS[7].keyId());
    }

    @Test
    void releaseThresholdNotMet_exit3() {
        Path b = bundle(6);
        assertThatThrownBy(() -> verify(twoOfThree(), b))
                .isInstanceOf(TrustSignatureException.class)
                .hasMessage(b + ": the bundle is not signed by 2 release key(s) of trust version 1: 1 of 2 counted ("
                        + KEYS[6].keyId() + ")")
                .satisfies(e -> assertExit(e, ExitCode.VERIFICATION));
    }

    @Test
    void aRootKeyIsNotAReleaseKey_exit3() {
        Path b = bundle(0, 5);
        assertThatThrownBy(() -> verify(twoOfThree(), b))
                .hasMessageContaining(KEYS[0].keyId() + " (by a key not named here)");
    }

    @Test
    void aRevokedKeyNeededForTheThreshold_exit3() {
        TrustChain chain = twoOfThree()
                .update(doc(2).root(1, 0).release(2, 5, 6, 7).revokeKeys(6).signedBy(0));
        Path b = bundle(5, 6);
        assertThatThrownBy(() -> verify(chain, b))
                .isInstanceOf(TrustSignatureException.class)
                .hasMessageContaining("revoked in this version: " + KEYS[6].keyId())
                .hasMessageContaining("of trust version 2: 1 of 2 counted")
                .satisfies(e -> assertExit(e, ExitCode.VERIFICATION));
        assertThat(verify(chain, bundle(5, 7)).signerKeyIds()).hasSize(2);
    }

    @Test
    void aRevokedToken_exit6() {
        TrustChain chain = twoOfThree()
                .update(doc(2).root(1, 0)
                        .release(2, 5, 6, 7)
                        .revokeTokens("jti-leaked")
                        .signedBy(0));
        Path b = bundle(List.of(), "jti-leaked", 5, 6);
        assertThatThrownBy(() -> verify(chain, b))
                .isInstanceOf(RevokedTokenException.class)
                .hasMessageContaining("token jti-leaked is revoked by trust version 2")
                .hasMessageNotContaining("SECRET")
                .satisfies(e -> assertExit(e, ExitCode.VALIDITY))
                .satisfies(e ->
                        assertThat(((RevokedTokenException) e).reason().code()).isEqualTo("token-revoked"));
    }

    @Test
    void expiredTrustRefusesTheBundle_exit6() {
        TrustChain chain = TrustChain.pin(doc(1).root(1, 0)
                .release(1, 5)
                .expiresAt(NOW.minus(Duration.ofDays(1)))
                .signedBy(0));
        Path b = bundle(5);
        assertThatThrownBy(() -> verify(chain, b))
                .isInstanceOf(TrustExpiredException.class)
                .hasMessageContaining("trust version 1 in force on this host expired")
                .hasMessageContaining("installer trust update --file 2.trust.json")
                .satisfies(e -> assertExit(e, ExitCode.VALIDITY));
    }

    @Test
    void expiredTrustAcceptsABundleCarryingANewerVersion() {
        TrustChain chain = TrustChain.pin(doc(1).root(1, 0)
                .release(1, 5)
                .expiresAt(NOW.minus(Duration.ofDays(1)))
                .signedBy(0));
        SignedTrust v2 = doc(2).root(1, 0).release(1, 5).signedBy(0);
        assertThat(verify(chain, bundle(carried(v2), "tok-1", 5)).signerKeyIds())
                .containsExactly(KEYS[5].keyId());
        assertThat(kept).extracting(TrustChain::version).containsExactly(2L);
    }

    @Test
    void aCarriedRevocationIsKeptWhenTheBundleThenFails_exit3() {
        SignedTrust v1 = doc(1).root(1, 0).release(1, 5, 6).signedBy(0);
        SignedTrust v2 = doc(2).root(1, 0).release(1, 5, 6).revokeKeys(6).signedBy(0);
        Path b = bundle(carried(v1, v2), "tok-1", 6);
        assertThatThrownBy(() -> verify(TrustChain.pin(v1), b))
                .isInstanceOf(TrustSignatureException.class)
                .hasMessageContaining("revoked in this version: " + KEYS[6].keyId());
        assertThat(kept).extracting(TrustChain::version).containsExactly(2L);
    }

    @Test
    void aBundleCarryingAnOlderChainThanTheHostsIsJudgedByTheHosts() {
        SignedTrust v1 = doc(1).root(1, 0).release(1, 5, 6).signedBy(0);
        SignedTrust v2 = doc(2).root(1, 0).release(1, 5, 6).signedBy(0);
        SignedTrust v3 = doc(3).root(1, 0).release(1, 5, 6).revokeKeys(6).signedBy(0);
        TrustChain host = TrustChain.pin(v1).update(v2).update(v3);
        Path b = bundle(carried(v1, v2), "tok-1", 6);
        assertThatThrownBy(() -> verify(host, b))
                .isInstanceOf(TrustSignatureException.class)
                .hasMessageContaining("of trust version 3");
        assertThat(kept).isEmpty();
        assertThat(verify(host, bundle(carried(v1, v2), "tok-1", 5)).signerKeyIds())
                .containsExactly(KEYS[5].keyId());
    }

    @Test
    void aCarriedDocumentFromAnotherChain_exit3() {
        TrustChain host = TrustChain.pin(doc(1).root(1, 0).release(1, 5).signedBy(0));
        SignedTrust foreign = doc(2).root(1, 4).release(1, 8).signedBy(4);
        Path b = bundle(carried(foreign), "tok-1", 8);
        assertThatThrownBy(() -> verify(host, b))
                .isInstanceOf(TrustSignatureException.class)
                .hasMessageContaining(
                        b + ": trust/2.trust.json: trust version 2 is not signed by 1 root key(s) of trust version 1");
        assertThat(kept).isEmpty();
    }

    @Test
    void aCarriedGap_exit3() {
        TrustChain host = TrustChain.pin(doc(1).root(1, 0).release(1, 5).signedBy(0));
        Path b = bundle(carried(doc(3).root(1, 0).release(1, 5).signedBy(0)), "tok-1", 5);
        assertThatThrownBy(() -> verify(host, b)).isInstanceOf(TrustGapException.class);
    }

    @Test
    void aCarriedEntryWhoseNameLiesAboutItsVersion_exit3() {
        TrustChain host = TrustChain.pin(doc(1).root(1, 0).release(1, 5).signedBy(0));
        SignedTrust v3 = doc(3).root(1, 0).release(1, 5).signedBy(0);
        Path b = bundle(List.of(new CarriedTrust(2, v3.bytes())), "tok-1", 5);
        assertThatThrownBy(() -> verify(host, b))
                .hasMessageContaining("trust/2.trust.json holds trust version 3")
                .satisfies(e -> assertExit(e, ExitCode.VERIFICATION));
    }

    @Test
    void v1RulesIgnoreCarriedDocumentsWhenNoChainIsPinned() {
        SignedTrust v1 = doc(1).root(1, 0).release(1, 5).signedBy(0);
        Path b = bundle(carried(v1), "tok-1", 5);
        VerifiedBundle verified = new BundleVerifier(TestKeys.trust(KEYS[5]), CLOCK).verify(b, PayloadSink.discard());
        assertThat(verified.signerKeyIds()).containsExactly(KEYS[5].keyId());
    }

    /** Signs with {@code real} but files the signature under {@code claimed}'s key id. */
    private static Signer impostor(SigningKey real, SigningKey claimed) {
        return TestKeys.signerAs(claimed, real::sign);
    }

    @Test
    void oneKeysSignatureCopiedUnderAnotherReleaseKeysIdCountsOnce_exit3() {
        Path b = bundle(5);
        BundleHeads.sign(b, impostor(KEYS[5], KEYS[6]), b);
        assertThatThrownBy(() -> verify(twoOfThree(), b))
                .isInstanceOf(TrustSignatureException.class)
                .hasMessageContaining("1 of 2 counted (" + KEYS[5].keyId() + "); not counted: " + KEYS[6].keyId()
                        + " (does not verify)");
    }

    @Test
    void signaturesByKeysTheChainDoesNotNameNeverFillTheThreshold_exit3() {
        Path b = bundle(5);
        for (int stranger : new int[] {1, 2, 3, 4, 8, 9}) {
            BundleHeads.sign(b, KEYS[stranger], b);
        }
        assertThatThrownBy(() -> verify(twoOfThree(), b))
                .isInstanceOf(TrustSignatureException.class)
                .hasMessageContaining("1 of 2 counted")
                .hasMessageContaining(KEYS[9].keyId() + " (by a key not named here)");
    }

    @Test
    void addingTheSecondReleaseSignatureAfterwardsMeetsTheThreshold() {
        Path b = bundle(5);
        BundleHeads.sign(b, KEYS[7], b);
        assertThat(verify(twoOfThree(), b).signerKeyIds()).containsExactlyInAnyOrder(KEYS[5].keyId(), KEYS[7].keyId());
    }
}
