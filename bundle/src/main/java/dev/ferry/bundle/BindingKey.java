package dev.ferry.bundle;

import dev.ferry.keys.Signer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.format.DateTimeFormatter;

/**
 * The bundle's binding key: 32 bytes carried as the secret file {@link BundleLayout#BINDING_KEY}, the key of the
 * HMAC that binds each other secret in the manifest ({@link SecretDigest#HMAC}). It must be unknown to anyone who
 * reads only the manifest, and the same on a rebuild from the same inputs and keys (bundles are reproducible), so it
 * is derived from an Ed25519 signature, which is deterministic (RFC 8032) and which nobody without the signing key
 * can compute: SHA-256 of a label and the first signing key's signature over a second label and the bundle's
 * identity (name, version, sequence, creation time). The signature itself is never stored; a key that leaks exposes
 * one bundle's secrets to fast guessing, not another's. The labels keep the signed bytes apart from anything else a
 * Ferry key signs (a manifest is JSON, a trust document or provenance envelope is DSSE's PAE).
 */
final class BindingKey {
    /** The key's length: a SHA-256. */
    static final int BYTES = 32;

    private static final String SIGNED_LABEL = "ferry-bundle/1 binding key";
    private static final String KEY_LABEL = "ferry-bundle/1 binding key from signature";

    private BindingKey() {}

    /** The key of the bundle that {@code spec} describes, from {@code signer}'s signature. */
    static byte[] derive(Signer signer, BundleSpec spec) {
        byte[] signature = signer.sign(identity(spec));
        MessageDigest sha256 = Sha256.digest();
        sha256.update(KEY_LABEL.getBytes(StandardCharsets.UTF_8));
        sha256.update((byte) 0);
        return sha256.digest(signature);
    }

    private static byte[] identity(BundleSpec spec) {
        StringBuilder fields = new StringBuilder(SIGNED_LABEL);
        for (String field : new String[] {
            spec.name(),
            spec.version(),
            Long.toString(spec.sequence()),
            DateTimeFormatter.ISO_INSTANT.format(spec.createdAt())
        }) {
            fields.append('\0').append(field);
        }
        return fields.toString().getBytes(StandardCharsets.UTF_8);
    }
}
