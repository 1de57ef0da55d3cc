package dev.ferry.bundle.dsse;

import java.util.Arrays;

/**
 * One {@code signatures[]} entry as it was found: the key id it claims and the decoded signature bytes. Neither is
 * trusted; {@link SignatureCount} decides what counts.
 */
public record EnvelopeSignature(String keyId, byte[] sig) {
    public EnvelopeSignature {
        sig = sig.clone();
    }

    @Override
    public byte[] sig() {
        return sig.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EnvelopeSignature other && keyId.equals(other.keyId) && Arrays.equals(sig, other.sig);
    }

    @Override
    public int hashCode() {
        return keyId.hashCode() * 31 + Arrays.hashCode(sig);
    }

    @Override
    public String toString() {
        return "EnvelopeSignature[" + keyId + "]";
    }
}
