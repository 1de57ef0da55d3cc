package dev.ferry.installer.transaction;

import dev.ferry.bundle.Manifest;
import dev.ferry.bundle.PayloadSink;
import dev.ferry.bundle.VerifiedBundle;
import java.nio.file.Path;

/** How the transaction reads bundles: the bundle module's reader and its one verifier, with the trusted keys. */
public interface Bundles {
    /**
     * The manifest, NOT verified: only to name the agent and run preflight before the (slower) verification.
     * Nothing read here is trusted: step 4 verifies the signature before any byte is installed, and the transaction
     * then requires the verified manifest to name the same release.
     */
    Manifest readManifest(Path bundle);

    /** Verifies signature, every payload byte and expiry while streaming the payload into {@code sink}. */
    VerifiedBundle verify(Path bundle, PayloadSink sink);
}
