package dev.ferry.bundler.sbom;

import dev.ferry.bundle.DerivedFiles;
import dev.ferry.bundle.FileEntry;
import dev.ferry.bundle.PayloadFile;
import dev.ferry.bundle.PayloadPaths;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * What every bundle carries about itself (SPEC section 12): the SBOM, made once every input is hashed, from those
 * hashes; then the provenance, whose subject is the SBOM, signed by the bundle's signers.
 */
public final class BundleEvidence implements DerivedFiles {
    private final CycloneDxSbom.Subject subject;
    private final Provenance.Inputs provenance;

    public BundleEvidence(CycloneDxSbom.Subject subject, Provenance.Inputs provenance) {
        this.subject = subject;
        this.provenance = provenance;
    }

    @Override
    public List<DerivedFile> derive(List<HashedFile> inputs) {
        byte[] sbom = CycloneDxSbom.write(subject, inputs, PayloadScan.of(inputs));
        DerivedFile sbomFile = new DerivedFile(CycloneDxSbom.PATH, sbom, "0644");
        List<HashedFile> withSbom = new ArrayList<>(inputs);
        withSbom.add(new HashedFile(new PayloadFile(CycloneDxSbom.PATH, Path.of(CycloneDxSbom.PATH), "0644"),
                new FileEntry(CycloneDxSbom.PATH, sbom.length, Sha256s.hex(sbom), "0644")));
        withSbom.sort(Comparator.comparing(f -> f.entry().path(), PayloadPaths.ORDER));
        byte[] statement = Provenance.write(subject, provenance, withSbom);
        return List.of(sbomFile, new DerivedFile(Provenance.PATH, statement, "0644"));
    }
}
