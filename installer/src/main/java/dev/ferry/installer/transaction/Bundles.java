package dev.ferry.installer.transaction;

import dev.ferry.bundle.OpenBundle;
import java.nio.file.Path;

/** How the transaction reads bundles: the bundle module's one verifier, with the host's trust. */
public interface Bundles {
    /**
     * The bundle opened and its head (manifest and signatures) judged against the trust in force, the payload not yet
     * read: the only manifest anything on the host acts on before step 4 (names, paths, preflight's endpoints and
     * windows). The payload is then read from the same open file, once; the caller closes it.
     */
    OpenBundle open(Path bundle);
}
