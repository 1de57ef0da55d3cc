package dev.ferry.keys;

import java.security.PublicKey;

/**
 * Something that makes raw Ed25519 signatures for one public key: a private-key file ({@link SigningKey}) or an
 * external command that keeps the key in a token, an HSM or a KMS ({@link CommandSigner}). Every signing command of
 * the bundler signs through this, so bundles, trust documents and provenance envelopes take either.
 */
public interface Signer {
    /** The SPEC section 2 key id of {@link #publicKey()}. */
    String keyId();

    PublicKey publicKey();

    /** The raw 64-byte Ed25519 signature of exactly {@code data}; a failure is a {@code FerryException}. */
    byte[] sign(byte[] data);
}
