package dev.ferry.installer.transaction;

import dev.ferry.bundle.PayloadSink;
import dev.ferry.bundle.StreamedBundle;
import dev.ferry.bundle.VerifiedBundle;
import dev.ferry.bundle.VerifiedHead;
import java.nio.file.Path;

/** How the transaction reads bundles: the bundle module's one verifier, with the host's trust. */
public interface Bundles {
    /**
     * The head (manifest and signatures) judged against the trust in force, without reading the payload: the only
     * manifest anything on the host acts on before step 4 (names, paths, preflight's endpoints and windows).
     */
    VerifiedHead verifyHead(Path bundle);

    /**
     * Verifies signature, every payload byte and expiry while streaming the payload into {@code sink}.
     *
     * @param head this bundle's head as verified before (its decoding is reused when the signed bytes are the same)
     */
    VerifiedBundle verify(Path bundle, PayloadSink sink, VerifiedHead head);

    /**
     * {@link #verify}, but returns once the payload is streamed and checked, while the secrets' slow digests may still
     * be computed: {@link StreamedBundle#verdict} before anything of the bundle reaches the host.
     */
    default StreamedBundle stream(Path bundle, PayloadSink sink, VerifiedHead head) {
        return StreamedBundle.of(verify(bundle, sink, head));
    }
}
