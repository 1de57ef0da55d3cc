package dev.ferry.bundle;

import java.time.Instant;
import java.util.List;

/**
 * A bundle's head, the first entries ({@code manifest.json}, its signatures, any carried trust documents), judged by
 * the one verifier without reading the payload: signatures that met the trust in force, a manifest that decoded
 * strictly, and no revoked token. The only manifest a host may act on before the payload is verified: names, paths,
 * endpoints and windows are read from here, never from an unchecked read of the bundle.
 *
 * <p>The bundle's own validity window is not judged here but when the payload is read, at that moment's clock; the
 * installer first shows it (and the token window) as preflight checks, so a technician sees every reason at once and
 * may pass over one with {@code --ignore-preflight}.
 *
 * @param manifestBytes the exact signed bytes of manifest.json
 * @param signerKeyIds the key ids whose signatures counted
 * @param trustVersion the version of the pinned trust chain in force once the bundle's carried documents were applied,
 *     or null where the host trusts a flat set of keys (SPEC section 10 versus v1)
 * @param checkedAt the verifier's clock when the head was judged
 */
public record VerifiedHead(
        Manifest manifest, byte[] manifestBytes, List<String> signerKeyIds, Long trustVersion, Instant checkedAt) {
    public VerifiedHead {
        signerKeyIds = List.copyOf(signerKeyIds);
    }
}
