package dev.ferry.bundle;

import dev.ferry.bundle.dsse.EnvelopeCodec;
import dev.ferry.common.FerryException;
import dev.ferry.common.Reason;
import dev.ferry.keys.Signatures;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The unsigned start of a bundle: {@code manifest.json} (bounded before a byte of it is read), then the signature
 * entries, then any carried trust documents. {@code next} is the header that followed them (the first payload entry, or null at the archive's end),
 * already read because only it tells where the signatures stop.
 */
record BundleHead(
        byte[] manifestBytes, Map<String, byte[]> signatures, List<CarriedTrust> trust, StrictTarReader.Header next) {
    static final int MAX_SIGNATURES = 16;
    private static final String SIGNATURE_NAME = "signatures/[0-9a-f]{16}\\.sig";

    static BundleHead read(StrictTarReader tar, String source) throws IOException {
        StrictTarReader.Header first = tar.next();
        if (first == null) {
            throw fail(source, Reason.MALFORMED_ARCHIVE, "empty archive: no manifest.json");
        }
        if (!BundleLayout.MANIFEST.equals(first.name())) {
            throw fail(
                    source,
                    Reason.MALFORMED_ARCHIVE,
                    "the first entry is " + Printable.quote(first.name()) + ", expected " + BundleLayout.MANIFEST);
        }
        if (first.size() > BundleLayout.MAX_MANIFEST_BYTES) {
            throw fail(
                    source,
                    Reason.MALFORMED_MANIFEST,
                    "manifest.json is " + first.size() + " bytes, over the limit of " + BundleLayout.MAX_MANIFEST_BYTES
                            + " (4 MiB)");
        }
        byte[] manifest = tar.readSmallEntry(first);
        Map<String, byte[]> signatures = new LinkedHashMap<>();
        StrictTarReader.Header next = tar.next();
        while (next != null && next.name().startsWith(BundleLayout.SIGNATURES)) {
            if (!next.name().matches(SIGNATURE_NAME)) {
                throw fail(
                        source,
                        Reason.MALFORMED_SIGNATURE,
                        "signature entry " + Printable.quote(next.name()) + " is not named signatures/KEYID.sig");
            }
            if (next.size() != Signatures.LENGTH) {
                throw fail(
                        source,
                        Reason.MALFORMED_SIGNATURE,
                        next.name() + " is " + next.size() + " bytes; an Ed25519 signature is 64");
            }
            String keyId = next.name()
                    .substring(
                            BundleLayout.SIGNATURES.length(),
                            next.name().length() - BundleLayout.SIGNATURE_SUFFIX.length());
            if (signatures.containsKey(keyId)) {
                throw fail(source, Reason.MALFORMED_SIGNATURE, next.name() + " appears twice");
            }
            if (signatures.size() == MAX_SIGNATURES) {
                throw fail(source, Reason.MALFORMED_SIGNATURE, "more than " + MAX_SIGNATURES + " signatures");
            }
            signatures.put(keyId, tar.readSmallEntry(next));
            next = tar.next();
        }
        List<CarriedTrust> trust = new ArrayList<>();
        while (next != null && next.name().startsWith(CarriedTrust.DIR)) {
            next = readTrust(tar, next, trust, source);
        }
        return new BundleHead(manifest, signatures, trust, next);
    }

    /** One {@code trust/VERSION.trust.json} entry: bounded, versions strictly increasing. */
    private static StrictTarReader.Header readTrust(
            StrictTarReader tar, StrictTarReader.Header entry, List<CarriedTrust> trust, String source)
            throws IOException {
        long version = CarriedTrust.versionOf(entry.name(), source);
        if (!trust.isEmpty() && version <= trust.get(trust.size() - 1).version()) {
            throw fail(
                    source,
                    Reason.MALFORMED_ARCHIVE,
                    entry.name() + " is out of order: trust entries go oldest first, each version once");
        }
        if (trust.size() == CarriedTrust.MAX_ENTRIES || entry.size() > EnvelopeCodec.MAX_BYTES) {
            throw fail(
                    source,
                    Reason.MALFORMED_ARCHIVE,
                    entry.name() + ": more trust documents or bytes than a chain needs");
        }
        trust.add(new CarriedTrust(version, tar.readSmallEntry(entry)));
        return tar.next();
    }

    private static FerryException fail(String source, Reason reason, String what) {
        return reason.failure(source + ": " + what);
    }
}
