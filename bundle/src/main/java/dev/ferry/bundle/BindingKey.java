package dev.ferry.bundle;

import dev.ferry.keys.Signer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.format.DateTimeFormatter;
import java.util.List;
import javax.crypto.Mac;

/**
 * The bundle's binding key: 32 bytes carried as the secret file {@link BundleLayout#BINDING_KEY}, the key of the
 * HMAC that binds each other secret in the manifest ({@link SecretDigest#HMAC}). It must be unknown to anyone who
 * reads only the manifest, different in every bundle whose secrets differ, and the same on a rebuild from the same
 * inputs and keys (bundles are reproducible). So it is derived in two steps:
 *
 * <ol>
 *   <li>a root: SHA-256 of a label and the first signing key's Ed25519 signature over a second label and the bundle's
 *       public identity (name, version, sequence, creation time, profile name). The signature is deterministic (RFC
 *       8032) and nobody without the signing key can make it; a signer behind a token or a command sees nothing it
 *       does not sign in the manifest anyway. The root is never stored;
 *   <li>the key: HMAC-SHA256 under the root of each other secret's path and SHA-256, in the manifest's order.
 * </ol>
 *
 * <p>Sibling bundles (two network segments built in the same second, a rebuild with a new token and a pinned clock)
 * therefore get different keys, and one bundle's key, which its holder has, tells nothing of the root and so nothing
 * of any other bundle's key. The labels keep the signed bytes apart from anything else a Ferry key signs (a manifest is
 * JSON, a trust document or provenance envelope is DSSE's PAE).
 */
final class BindingKey {
    /** The key's length: an HMAC-SHA256. */
    static final int BYTES = 32;

    private static final String SIGNED_LABEL = "ferry-bundle/1 binding key";
    private static final String ROOT_LABEL = "ferry-bundle/1 binding key from signature";

    private BindingKey() {}

    /**
     * The key of the bundle that {@code spec} describes, from {@code signer}'s signature.
     *
     * @param secrets the entries (with their SHA-256) of the secrets the key binds, sorted by path
     */
    static byte[] derive(Signer signer, BundleSpec spec, List<FileEntry> secrets) {
        MessageDigest sha256 = Sha256.digest();
        sha256.update(ROOT_LABEL.getBytes(StandardCharsets.UTF_8));
        sha256.update((byte) 0);
        byte[] root = sha256.digest(signer.sign(identity(spec)));
        Mac mac = Sha256.hmac(root);
        for (FileEntry secret : secrets) {
            mac.update(secret.path().getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            mac.update(secret.sha256().getBytes(StandardCharsets.US_ASCII));
            mac.update((byte) 0);
        }
        return mac.doFinal();
    }

    private static byte[] identity(BundleSpec spec) {
        StringBuilder fields = new StringBuilder(SIGNED_LABEL);
        for (String field : new String[] {
            spec.name(),
            spec.version(),
            Long.toString(spec.sequence()),
            DateTimeFormatter.ISO_INSTANT.format(spec.createdAt()),
            spec.profile() == null ? "" : spec.profile().path("name").asText("")
        }) {
            fields.append('\0').append(field);
        }
        return fields.toString().getBytes(StandardCharsets.UTF_8);
    }
}
