package dev.ferry.bundle.dsse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.bundle.testing.TestKeys;
import dev.ferry.common.ExitCode;
import dev.ferry.common.FerryException;
import dev.ferry.keys.SignatureCount;
import dev.ferry.keys.SigningKey;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DsseTest {
    private static final String TYPE = "application/vnd.ferry.trust+json";
    private final SigningKey a = TestKeys.generate();
    private final SigningKey b = TestKeys.generate();

    @Test
    void paeIsTheDsseSpecsOwnExample() {
        // The worked example of the DSSE protocol document.
        byte[] pae = Pae.encode("http://example.com/HelloWorld", "hello world".getBytes(StandardCharsets.UTF_8));
        assertThat(new String(pae, StandardCharsets.UTF_8))
                .isEqualTo("DSSEv1 29 http://example.com/HelloWorld 11 hello world");
    }

    @Test
    void paeCountsBytesNotCharacters() {
        byte[] pae = Pae.encode("t/é", "ü".getBytes(StandardCharsets.UTF_8));
        assertThat(new String(pae, StandardCharsets.UTF_8)).isEqualTo("DSSEv1 4 t/é 2 ü");
    }

    @Test
    void signedEnvelopeSurvivesEncodingAndCountsItsSigners() {
        Envelope envelope = Envelope.unsigned(TYPE, "{\"a\":1}".getBytes(StandardCharsets.UTF_8))
                .signedBy(a)
                .signedBy(b);
        Envelope decoded = EnvelopeCodec.decode(EnvelopeCodec.encode(envelope), "t.json");
        assertThat(decoded).isEqualTo(envelope);
        SignatureCount count = decoded.count(Map.of(a.keyId(), a.publicKey(), b.keyId(), b.publicKey()));
        assertThat(count.counted()).containsExactly(a.keyId(), b.keyId());
    }

    @Test
    void signingTwiceWithOneKeyKeepsOneEntry() {
        Envelope envelope = Envelope.unsigned(TYPE, new byte[] {1}).signedBy(a).signedBy(a);
        assertThat(envelope.signatures()).hasSize(1);
    }

    @Test
    void aSignatureOverThePayloadAloneDoesNotCount() {
        // Signed without PAE (the payload bytes only): the type is not bound, so it must not verify.
        byte[] payload = "{}".getBytes(StandardCharsets.UTF_8);
        Envelope raw = new Envelope(TYPE, payload, List.of(new EnvelopeSignature(a.keyId(), a.sign(payload))));
        assertThat(raw.count(Map.of(a.keyId(), a.publicKey())).count()).isZero();
    }

    @Test
    void anEnvelopeOfAnotherTypeDoesNotVerifyAsThisOne() {
        Envelope provenance = Envelope.unsigned("application/vnd.in-toto+json", new byte[] {1})
                .signedBy(a);
        Envelope replayed = new Envelope(TYPE, provenance.payload(), provenance.signatures());
        assertThat(replayed.count(Map.of(a.keyId(), a.publicKey())).count()).isZero();
    }

    @Test
    void malformedSignatureEntriesAreKeptAsNotCounting() {
        String json = "{\"payloadType\":\"" + TYPE
                + "\",\"payload\":\"e30=\",\"signatures\":[{\"keyid\":7,\"sig\":\"!!\"},{}, 5]}";
        Envelope envelope = EnvelopeCodec.decode(json.getBytes(StandardCharsets.UTF_8), "t.json");
        assertThat(envelope.signatures()).hasSize(3);
        assertThat(envelope.count(Map.of(a.keyId(), a.publicKey())).ignored())
                .extracting(SignatureCount.Ignored::why)
                .containsOnly(SignatureCount.Why.MALFORMED);
    }

    @Test
    void duplicatedJsonKeysAreRefused() {
        String json = "{\"payloadType\":\"" + TYPE + "\",\"payload\":\"e30=\",\"payload\":\"e30=\",\"signatures\":[]}";
        assertThatThrownBy(() -> EnvelopeCodec.decode(json.getBytes(StandardCharsets.UTF_8), "t.json"))
                .isInstanceOf(FerryException.class)
                .hasMessageStartingWith("t.json: ")
                .hasMessageContaining("invalid JSON")
                .extracting(e -> ((FerryException) e).exitCode())
                .isEqualTo(ExitCode.VERIFICATION);
    }

    @Test
    void notAnEnvelopeIsRefusedNamingTheFile() {
        assertThatThrownBy(() -> EnvelopeCodec.decode("[]".getBytes(StandardCharsets.UTF_8), "t.json"))
                .hasMessage("t.json: not a DSSE envelope: expected a JSON object");
        assertThatThrownBy(() -> EnvelopeCodec.decode(
                        "{\"payloadType\":\"x\",\"payload\":\"%%\",\"signatures\":[]}".getBytes(StandardCharsets.UTF_8),
                        "t.json"))
                .hasMessageContaining("payload is missing or not base64");
    }
}
