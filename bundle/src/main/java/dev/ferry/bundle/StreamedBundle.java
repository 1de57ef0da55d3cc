package dev.ferry.bundle;

/**
 * A bundle read to its last byte with every check of {@link OpenBundle#verify} passed but one: the secrets' check
 * (SPEC section 2). Their HMACs under the binding key are checked by {@link #verdict} (two SHA-256 compressions
 * each, once the key has surely been read); the slow digests of a bundle made before the key (about 0.3 s of one core each) are
 * still being computed on threads of their own. {@code payload/secrets/} sorts near the end, so without this the
 * PBKDF2 would run after the whole stream with nothing beside it; an install holds this while it finishes its staging
 * folder (render, flush to disk) and asks for the {@link #verdict} before anything reaches the host.
 *
 * <p>The bundle is not verified until {@link #verdict} returned: until then only its staging may be written, and a
 * failure in between must ask for the verdict first, so that a secret that does not match is the failure reported,
 * as it was when the verdict came before those steps.
 */
public final class StreamedBundle {
    private final VerifiedBundle bundle;
    private final SecretChecks secrets;
    private final String source;

    StreamedBundle(VerifiedBundle bundle, SecretChecks secrets, String source) {
        this.bundle = bundle;
        this.secrets = secrets;
        this.source = source;
    }

    /**
     * Checks the secrets' HMACs and waits for their slow digests (at most a PBKDF2, never the stream). Can be asked
     * again.
     *
     * @return the verified bundle
     * @throws dev.ferry.common.FerryException {@code secret-mismatch} (exit 3), as {@link BundleVerifier#verify} would
     */
    public VerifiedBundle verdict() {
        secrets.await(source);
        return bundle;
    }
}
