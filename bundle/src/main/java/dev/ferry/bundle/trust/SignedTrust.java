package dev.ferry.bundle.trust;

import dev.ferry.bundle.dsse.Envelope;
import dev.ferry.bundle.dsse.EnvelopeCodec;
import dev.ferry.common.BoundedInput;
import dev.ferry.common.FerryException;
import dev.ferry.keys.SignatureCount;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * A trust document in its envelope, as read from a file or a bundle entry. Nothing about it is trusted yet: only a
 * {@link TrustChain} decides whether its signatures count. {@code bytes} are the envelope exactly as read, so the
 * host stores what was carried, byte for byte.
 */
public record SignedTrust(Envelope envelope, TrustDocument document, byte[] bytes, String source) {
    public SignedTrust {
        bytes = bytes.clone();
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    public long version() {
        return document.version();
    }

    public static SignedTrust parse(byte[] bytes, String source) {
        Envelope envelope = EnvelopeCodec.decode(bytes, source);
        if (!TrustDocument.PAYLOAD_TYPE.equals(envelope.payloadType())) {
            throw FerryException.verification(
                    source + ": payloadType is not " + TrustDocument.PAYLOAD_TYPE + ": not a trust document");
        }
        return new SignedTrust(envelope, TrustDocumentCodec.decode(envelope.payload(), source), bytes, source);
    }

    /** A new envelope around {@code doc}, with no signature yet. */
    public static SignedTrust unsigned(TrustDocument doc, String source) {
        Envelope envelope = Envelope.unsigned(TrustDocument.PAYLOAD_TYPE, TrustDocumentCodec.encode(doc));
        return new SignedTrust(envelope, doc, EnvelopeCodec.encode(envelope), source);
    }

    /** The same document with {@code envelope}'s signatures (the payload must be unchanged). */
    public SignedTrust withEnvelope(Envelope signed) {
        return new SignedTrust(signed, document, EnvelopeCodec.encode(signed), source);
    }

    /** A file given on the command line: unreadable is a usage error (2); unreadable as a trust document is 3. */
    public static SignedTrust read(Path file) {
        try {
            if (Files.size(file) > EnvelopeCodec.MAX_BYTES) {
                throw FerryException.verification(
                        file + ": over " + EnvelopeCodec.MAX_BYTES + " bytes: not a trust document");
            }
            BoundedInput.requireRegularFile(file, "trust document");
            return parse(Files.readAllBytes(file), file.toString());
        } catch (NoSuchFileException e) {
            throw FerryException.usage(file + ": no such file");
        } catch (IOException e) {
            throw FerryException.usage(file + ": cannot read: " + e.getMessage());
        }
    }

    /** Signatures by this document's own root keys. */
    public SignatureCount ownRootCount() {
        return envelope.count(document.rootKeysInForce());
    }
}
