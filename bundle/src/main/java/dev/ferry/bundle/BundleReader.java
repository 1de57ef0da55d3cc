package dev.ferry.bundle;

import dev.ferry.common.Progress;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** Reads what {@code inspect} shows: the first entries only, never the payload. */
public final class BundleReader {
    private BundleReader() {}

    /**
     * The manifest (same 4 MiB bound and strict decoding as the verifier) and the signers' key ids. Signatures are
     * not checked here: see {@link ManifestView#verifiedBy}.
     */
    public static ManifestView readManifest(Path bundle) {
        String source = bundle.toString();
        try (BundleInput in = BundleInput.open(bundle, Progress.NONE)) {
            BundleHead head = BundleHead.read(in.tar(), source);
            Manifest manifest = ManifestCodec.decode(head.manifestBytes(), source);
            in.expectBundleOf(manifest);
            return new ManifestView(manifest, head.manifestBytes(), List.copyOf(head.signatures().keySet()),
                    java.util.Collections.unmodifiableMap(head.signatures()));
        } catch (IOException e) {
            throw BundleInput.failure(source, e);
        }
    }
}
