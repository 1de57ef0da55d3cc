package dev.ferry.bundler.sbom;

import dev.ferry.bundle.DerivedFiles;
import dev.ferry.bundle.FileEntry;
import dev.ferry.bundle.PayloadFile;
import dev.ferry.bundle.PayloadPaths;
import dev.ferry.bundle.Sha256;
import dev.ferry.bundle.dsse.Envelope;
import dev.ferry.bundle.dsse.EnvelopeCodec;
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

    /**
     * Loads and initialises the SBOM's classes (the CycloneDX model and generator, Jackson's serialisers for them) on
     * a background thread while create walks and stats the runtime folder on one core: otherwise that start-up cost,
     * a few hundred milliseconds of CPU, would sit between the writer's two reads. Harmless if it has not finished:
     * class initialisation waits.
     */
    public BundleEvidence warmUpInBackground() {
        // Nothing signed: a --sign-command signer (an HSM) must be asked once, for the real provenance.
        Thread warmUp = new Thread(
                () -> {
                    try {
                        List<HashedFile> sample = List.of(sample());
                        CycloneDxSbom.write(subject, sample, PayloadScan.of(sample));
                        EnvelopeCodec.encode(Envelope.unsigned(
                                Provenance.PAYLOAD_TYPE, Provenance.statement(subject, provenance, sample)));
                    } catch (RuntimeException ignored) {
                        // Only a head start: the real run meets (and reports) the same problem.
                    }
                },
                "ferry-sbom-warm-up");
        warmUp.setDaemon(true);
        warmUp.setPriority(Thread.MIN_PRIORITY);
        warmUp.start();
        return this;
    }

    private static HashedFile sample() {
        String path = "payload/runtime/lib/warm-up.jar";
        return new HashedFile(
                new PayloadFile(path, Path.of(path), "0644"), new FileEntry(path, 0, "0".repeat(64), "0644"));
    }

    @Override
    public List<DerivedFile> derive(List<HashedFile> inputs) {
        byte[] sbom = CycloneDxSbom.write(subject, inputs, PayloadScan.of(inputs));
        DerivedFile sbomFile = new DerivedFile(CycloneDxSbom.PATH, sbom, "0644");
        List<HashedFile> withSbom = new ArrayList<>(inputs);
        withSbom.add(new HashedFile(
                new PayloadFile(CycloneDxSbom.PATH, Path.of(CycloneDxSbom.PATH), "0644"),
                new FileEntry(CycloneDxSbom.PATH, sbom.length, Sha256.hex(sbom), "0644")));
        withSbom.sort(Comparator.comparing(f -> f.entry().path(), PayloadPaths.ORDER));
        byte[] statement = Provenance.write(subject, provenance, withSbom);
        return List.of(sbomFile, new DerivedFile(Provenance.PATH, statement, "0644"));
    }
}
