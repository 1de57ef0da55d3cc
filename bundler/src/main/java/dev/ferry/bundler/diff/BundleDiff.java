package dev.ferry.bundler.diff;

import dev.ferry.bundle.BundleLayout;
import dev.ferry.bundle.BundleReader;
import dev.ferry.bundle.FileEntry;
import dev.ferry.bundle.Manifest;
import dev.ferry.bundle.ManifestView;
import dev.ferry.bundler.sbom.CycloneDxSbom;
import dev.ferry.keys.TrustedKeys;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * {@code bundler diff OLD NEW}: the change note a site's change board reads before media go in (SPEC section 12).
 * Reads each bundle's manifest and SBOM through {@link BundleReader} (the SBOM is checked against its manifest
 * entry); with trusted keys, also says whose signatures are valid. Nothing is extracted.
 */
public final class BundleDiff {
    private BundleDiff() {}

    /** @param trusted keys to check the signers against, or null to list them unchecked */
    public static DiffReport compare(Path oldBundle, Path newBundle, TrustedKeys trusted) {
        ManifestView before = BundleReader.readManifest(oldBundle);
        ManifestView after = BundleReader.readManifest(newBundle);
        Optional<byte[]> oldSbom = BundleReader.readPayloadFile(oldBundle, CycloneDxSbom.PATH, CycloneDxSbom.MAX_BYTES);
        Optional<byte[]> newSbom = BundleReader.readPayloadFile(newBundle, CycloneDxSbom.PATH, CycloneDxSbom.MAX_BYTES);
        List<String> notes = new ArrayList<>();
        List<DiffReport.ComponentChange> components = List.of();
        if (oldSbom.isPresent() && newSbom.isPresent()) {
            components = SbomComponents.changes(
                    SbomComponents.read(oldSbom.get(), oldBundle.toString()),
                    SbomComponents.read(newSbom.get(), newBundle.toString()));
        } else {
            notes.add("components not compared: " + (oldSbom.isEmpty() ? oldBundle : newBundle) + " carries no "
                    + CycloneDxSbom.PATH + " (an older bundle, or a delta whose SBOM comes from its base)");
        }
        List<String> secrets = secretsNotCompared(before.manifest(), after.manifest());
        if (!secrets.isEmpty()) {
            notes.add("secrets not compared (a manifest publishes no digest of a secret, SPEC section 2): "
                    + String.join(", ", secrets));
        }
        return new DiffReport(
                side(oldBundle, before, trusted),
                side(newBundle, after, trusted),
                files(before.manifest(), after.manifest()),
                components,
                ProfileChanges.of(before.manifest().profile(), after.manifest().profile()),
                notes);
    }

    private static DiffReport.Side side(Path bundle, ManifestView view, TrustedKeys trusted) {
        Manifest m = view.manifest();
        List<String> verified = trusted == null ? List.of() : view.verifiedBy(trusted);
        List<DiffReport.Signer> signers = new ArrayList<>();
        for (String keyId : view.signatureKeyIds()) {
            String status = trusted == null
                    ? "unchecked"
                    : verified.contains(keyId) ? "trusted" : trusted.get(keyId).isPresent() ? "invalid" : "untrusted";
            signers.add(new DiffReport.Signer(keyId, status));
        }
        return new DiffReport.Side(bundle.toString(), m.name(), m.version(), m.sequence(), m.createdAt(), signers);
    }

    private static DiffReport.Files files(Manifest before, Manifest after) {
        Map<String, FileEntry> old = byPath(before);
        Map<String, FileEntry> now = byPath(after);
        List<DiffReport.FileChange> added = new ArrayList<>();
        List<DiffReport.FileChange> removed = new ArrayList<>();
        List<DiffReport.FileChange> changed = new ArrayList<>();
        for (FileEntry file : now.values()) {
            FileEntry was = old.get(file.path());
            if (was == null) {
                added.add(new DiffReport.FileChange(file.path(), null, size(file), null, file.mode()));
            } else if (file.isSecret() || was.isSecret()) {
                continue; // each bundle binds its secrets under a key of its own: whether they changed is unknown
            } else if (!same(was, file)) {
                changed.add(new DiffReport.FileChange(
                        file.path(),
                        was.size(),
                        file.size(),
                        was.mode().equals(file.mode()) ? null : was.mode(),
                        file.mode()));
            }
        }
        for (FileEntry file : old.values()) {
            if (!now.containsKey(file.path())) {
                removed.add(new DiffReport.FileChange(file.path(), size(file), null, file.mode(), null));
            }
        }
        return new DiffReport.Files(added, removed, changed);
    }

    /** A file's size; null for a secret, whose size the manifest does not publish. */
    private static Long size(FileEntry file) {
        return file.isSecret() ? null : file.size();
    }

    /**
     * Secrets both bundles carry: listed as such, never as changed or unchanged. Not the binding key, which is no one's
     * secret and differs from bundle to bundle by design.
     */
    private static List<String> secretsNotCompared(Manifest before, Manifest after) {
        Map<String, FileEntry> old = byPath(before);
        return after.files().stream()
                .filter(f ->
                        f.isSecret() && old.containsKey(f.path()) && !f.path().equals(BundleLayout.BINDING_KEY))
                .map(FileEntry::path)
                .toList();
    }

    private static boolean same(FileEntry a, FileEntry b) {
        return a.size() == b.size()
                && a.mode().equals(b.mode())
                && a.sha256() != null
                && a.sha256().equals(b.sha256());
    }

    private static Map<String, FileEntry> byPath(Manifest manifest) {
        Map<String, FileEntry> files = new TreeMap<>();
        manifest.files().forEach(f -> files.put(f.path(), f));
        return files;
    }
}
