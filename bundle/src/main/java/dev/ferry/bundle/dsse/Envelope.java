package dev.ferry.bundle.dsse;

import dev.ferry.keys.SignatureCount;
import dev.ferry.keys.Signer;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A DSSE envelope (SPEC section 10): a typed payload and the signatures over its {@link Pae} bytes. Immutable;
 * {@link #signedBy} returns a new envelope. {@link EnvelopeCodec} reads and writes the JSON form.
 */
public record Envelope(String payloadType, byte[] payload, List<EnvelopeSignature> signatures) {
    public Envelope {
        payload = payload.clone();
        signatures = List.copyOf(signatures);
    }

    public static Envelope unsigned(String payloadType, byte[] payload) {
        return new Envelope(payloadType, payload, List.of());
    }

    @Override
    public byte[] payload() {
        return payload.clone();
    }

    /** The bytes every signature covers. */
    public byte[] pae() {
        return Pae.encode(payloadType, payload);
    }

    /**
     * This envelope with {@code signer}'s signature added; an earlier signature under the same key id is replaced
     * (signing twice with one key never adds a second entry, which would not count anyway).
     */
    public Envelope signedBy(Signer signer) {
        byte[] sig = signer.sign(pae());
        List<EnvelopeSignature> next = new ArrayList<>();
        for (EnvelopeSignature existing : signatures) {
            if (!existing.keyId().equals(signer.keyId())) {
                next.add(existing);
            }
        }
        next.add(new EnvelopeSignature(signer.keyId(), sig));
        return new Envelope(payloadType, payload, next);
    }

    /** Which signatures count, given the keys allowed to sign (SPEC section 10's counting rules). */
    public SignatureCount count(Map<String, PublicKey> named) {
        List<SignatureCount.Claim> claims = signatures.stream()
                .map(s -> new SignatureCount.Claim(s.keyId(), s.sig()))
                .toList();
        return SignatureCount.of(pae(), claims, named);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Envelope other
                && payloadType.equals(other.payloadType)
                && Arrays.equals(payload, other.payload)
                && signatures.equals(other.signatures);
    }

    @Override
    public int hashCode() {
        return (payloadType.hashCode() * 31 + Arrays.hashCode(payload)) * 31 + signatures.hashCode();
    }

    @Override
    public String toString() {
        return "Envelope[" + payloadType + ", " + payload.length + " bytes, " + signatures.size() + " signatures]";
    }
}
