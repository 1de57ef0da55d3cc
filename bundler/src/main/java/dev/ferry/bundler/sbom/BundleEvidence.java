package dev.ferry.bundler.sbom;

import dev.ferry.bundle.DerivedFiles;
import java.util.ArrayList;
import java.util.List;

/**
 * What every bundle carries about itself (SPEC section 12): the SBOM, made once every input is hashed, from those
 * hashes; then the provenance, which names the SBOM's digest.
 */
public final class BundleEvidence implements DerivedFiles {
    private final CycloneDxSbom.Subject subject;

    public BundleEvidence(CycloneDxSbom.Subject subject) {
        this.subject = subject;
    }

    @Override
    public List<DerivedFile> derive(List<HashedFile> inputs) {
        List<DerivedFile> files = new ArrayList<>();
        long t0 = System.nanoTime();
        PayloadScan scan = PayloadScan.of(inputs);
        long t1 = System.nanoTime();
        byte[] sbom = CycloneDxSbom.write(subject, inputs, scan);
        long t2 = System.nanoTime();
        System.err.println("TIMING scan " + (t1 - t0) / 1000000 + " ms, sbom " + (t2 - t1) / 1000000 + " ms, " + sbom.length + " bytes");
        files.add(new DerivedFile(CycloneDxSbom.PATH, sbom, "0644"));
        return files;
    }
}
