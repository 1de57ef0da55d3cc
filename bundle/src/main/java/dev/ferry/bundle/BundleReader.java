package dev.ferry.bundle;

import dev.ferry.common.FerryException;
import dev.ferry.common.Progress;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/** Reads what {@code inspect} shows: the first entries, and one small payload file when asked for. */
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
            return new ManifestView(
                    manifest,
                    head.manifestBytes(),
                    List.copyOf(head.signatures().keySet()),
                    Collections.unmodifiableMap(head.signatures()));
        } catch (IOException e) {
            throw BundleInput.failure(source, e);
        }
    }

    /**
     * One payload file's bytes (the SBOM, say), streamed past the entries before it and checked against the
     * manifest's size and SHA-256. Signatures are not checked here: see {@link ManifestView#verifiedBy}.
     *
     * @return empty when the manifest does not list {@code path}, the bundle does not carry it, or it is a secret
     * @throws FerryException VERIFICATION when the bytes are not what the manifest says; USAGE when the manifest
     *     says the file is larger than {@code maxBytes}
     */
    public static Optional<byte[]> readPayloadFile(Path bundle, String path, int maxBytes) {
        String source = bundle.toString();
        try (BundleInput in = BundleInput.open(bundle, Progress.NONE)) {
            BundleHead head = BundleHead.read(in.tar(), source);
            Manifest manifest = ManifestCodec.decode(head.manifestBytes(), source);
            in.expectBundleOf(manifest);
            FileEntry wanted = manifest.files().stream()
                    .filter(f -> f.path().equals(path))
                    .findFirst()
                    .orElse(null);
            if (wanted == null || wanted.fromBase() || wanted.isSecret()) {
                return Optional.empty();
            }
            if (wanted.size() > maxBytes) {
                throw FerryException.usage(source + ": " + path + " is " + wanted.size() + " bytes, more than the "
                        + maxBytes + " this command reads");
            }
            for (StrictTarReader.Header header = head.next();
                    header != null;
                    header = in.tar().next()) {
                int order = PayloadPaths.ORDER.compare(header.name(), path);
                if (order > 0) {
                    return Optional.empty();
                }
                if (order == 0) {
                    return Optional.of(readChecked(in.tar(), header, wanted, source));
                }
            }
            return Optional.empty();
        } catch (IOException e) {
            throw BundleInput.failure(source, e);
        }
    }

    private static byte[] readChecked(
            StrictTarReader tar, StrictTarReader.Header header, FileEntry wanted, String source) throws IOException {
        if (header.size() != wanted.size()) {
            throw FerryException.verification(source + ": entry " + Printable.quote(header.name()) + " is "
                    + header.size() + " bytes, the manifest says " + wanted.size());
        }
        MessageDigest sha256 = Sha256.digest();
        byte[] bytes;
        try (InputStream content = tar.content(sha256)) {
            bytes = content.readAllBytes();
        }
        if (bytes.length != wanted.size() || !Sha256.hex(sha256).equals(wanted.sha256())) {
            throw FerryException.verification(source + ": " + wanted.path()
                    + ": SHA-256 does not match the manifest: the file was changed after signing");
        }
        return bytes;
    }
}
