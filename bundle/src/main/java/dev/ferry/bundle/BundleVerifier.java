package dev.ferry.bundle;

import dev.ferry.keys.TrustedKeys;
import java.nio.file.Path;
import java.time.Clock;

/**
 * The one verifier (SPEC section 2), used by {@code bundler verify}, {@code installer verify} and the install.
 * Throws {@code FerryException}: VERIFICATION (3) for anything malformed, unsafe or untrusted; VALIDITY (6) for an
 * expired bundle.
 */
public final class BundleVerifier {
    private final TrustedKeys trust;
    private final Clock clock;

    public BundleVerifier(TrustedKeys trust, Clock clock) {
        this.trust = trust;
        this.clock = clock;
    }

    public VerifiedBundle verify(Path bundle, PayloadSink sink) {
        throw new UnsupportedOperationException("TODO(bundle)");
    }
}
