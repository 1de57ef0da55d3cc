package dev.ferry.bundle;

import dev.ferry.common.FerryException;
import dev.ferry.common.Progress;
import dev.ferry.common.Reason;
import dev.ferry.common.files.FileFailure;
import dev.ferry.keys.Signatures;
import dev.ferry.keys.TrustedKeys;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The one verifier (SPEC section 2), used by {@code bundler verify}, {@code installer verify} and the install.
 * Throws {@code FerryException}: VERIFICATION (3) for anything malformed, unsafe or untrusted; VALIDITY (6) for an
 * expired bundle or one created implausibly far in the future; USAGE (2) when the file does not exist.
 *
 * <p>One streaming pass, in a safe order: nothing of the manifest is interpreted before a trusted signature over
 * its exact bytes verified, and the sink sees no payload byte before the manifest was decoded and found valid.
 * Each payload entry must be exactly the next declared file (name, size, mode); its SHA-256 is compared once the
 * sink returns. Memory is bounded by the 4 MiB manifest, whatever the payload size.
 *
 * <p>An {@link IOException} thrown by the sink itself (say, a full disk in the installer's staging folder) is not a
 * bundle fault: it comes out as an {@link UncheckedIOException} for the caller to report.
 */
public final class BundleVerifier {
    /** A bundle made on a build machine whose clock runs ahead is fine; a day ahead means a wrong clock here. */
    public static final Duration MAX_CREATED_AHEAD = Duration.ofDays(1);

    private final TrustedKeys trust;
    /** The trust stage when a chain is pinned (SPEC section 10); null for v1's flat set of keys. */
    private final SignaturePolicy policy;

    private final Clock clock;

    public BundleVerifier(TrustedKeys trust, Clock clock) {
        this.trust = trust;
        this.policy = null;
        this.clock = clock;
    }

    public BundleVerifier(SignaturePolicy policy, Clock clock) {
        this.trust = TrustedKeys.of(Map.of());
        this.policy = policy;
        this.clock = clock;
    }

    public VerifiedBundle verify(Path bundle, PayloadSink sink) {
        return verify(bundle, sink, Progress.NONE);
    }

    /** @param progress told the bundle file's size, then every byte read from it */
    public VerifiedBundle verify(Path bundle, PayloadSink sink, Progress progress) {
        try (OpenBundle open = open(bundle, progress)) {
            return open.verify(sink);
        }
    }

    /**
     * The head alone (SPEC section 2's first entries, also of a split bundle): signatures against the trust in force,
     * the strict decoding of the manifest and its trust checks; no payload byte is read. What a host acts on before
     * the payload is verified: preflight, the agent's name and paths, the log line.
     */
    public VerifiedHead verifyHead(Path bundle) {
        try (OpenBundle open = open(bundle, Progress.NONE)) {
            return open.head();
        }
    }

    /**
     * The head judged as {@link #verifyHead} does, the bundle held open for its payload: an install acts on the head
     * (preflight, paths), then streams the payload from the same open file, reading and checking the head once.
     *
     * @param progress told the bundle file's size and every byte read from it, once the payload is read
     */
    public OpenBundle open(Path bundle, Progress progress) {
        String source = bundle.toString();
        requireTrust(source);
        OpenBundle.LateProgress late = new OpenBundle.LateProgress(progress);
        BundleInput in = BundleInput.open(bundle, late);
        OpenBundle open = null;
        try {
            BundleHead head = BundleHead.read(in.tar(), source);
            open = new OpenBundle(this, in, head, judge(head, in, source), late);
            return open;
        } catch (IOException e) {
            throw in.explain(BundleInput.failure(source, e));
        } catch (FerryException e) {
            throw in.explain(e);
        } finally {
            if (open == null) {
                in.close();
            }
        }
    }

    /** How the stream is paced, which decides whether the secrets' digest is warmed up ahead of them. */
    enum Pace {
        /** Every core reads, decompresses and hashes: nothing to spare. */
        READ_ONLY,
        /** The sink writes files: its last megabytes leave a core to spare ({@link SecretChecks#WARM_AHEAD}). */
        WRITING
    }

    /**
     * The validity window at this moment, then every payload entry, from where {@code head} ended: the secrets' slow
     * digests may still be running when this returns ({@link StreamedBundle#verdict}).
     */
    StreamedBundle readPayload(BundleInput in, BundleHead head, VerifiedHead verified, PayloadSink sink, Pace pace) {
        String source = in.source();
        try {
            Manifest manifest = verified.manifest();
            requireWindow(manifest, clock.instant(), source);
            SecretChecks secrets = streamPayload(
                    in.tar(),
                    head.next(),
                    manifest,
                    TemplateTexts.checking(manifest, sink, source),
                    new SecretChecks(pace == Pace.WRITING ? warmAt(manifest) : Long.MAX_VALUE),
                    source);
            in.tar().expectEnd();
            in.expectEndOfFile();
            // Every part of a split bundle was read to its end and checked by now, so a secret's failure needs
            // no explaining by the input (in.explain): it can come after the input is closed.
            return new StreamedBundle(
                    new VerifiedBundle(manifest, head.manifestBytes(), verified.signerKeyIds(), in.sha256()),
                    secrets,
                    source);
        } catch (IOException e) {
            throw in.explain(BundleInput.failure(source, e));
        } catch (FerryException e) {
            throw in.explain(e);
        }
    }

    private void requireTrust(String source) {
        if (policy == null && trust.isEmpty()) {
            throw Reason.NO_TRUSTED_KEY.failure(
                    source + ": no trusted public key: pass --trust PUB or add keys to <root>/etc/ferry/trust.d/");
        }
    }

    /** In a safe order: no field of the manifest is interpreted before a trusted signature over its exact bytes verified. */
    private VerifiedHead judge(BundleHead head, BundleInput in, String source) {
        List<String> signers = policy == null
                ? trustedSigners(head, source)
                : policy.signers(head.manifestBytes(), head.signatures(), head.trust(), source);
        Manifest manifest = ManifestCodec.decode(head.manifestBytes(), source);
        in.expectBundleOf(manifest);
        if (policy != null) {
            policy.checkManifest(manifest, source);
        }
        return new VerifiedHead(
                manifest,
                head.manifestBytes(),
                signers,
                policy == null ? null : policy.trustVersion(),
                clock.instant());
    }

    private List<String> trustedSigners(BundleHead head, String source) {
        List<String> verified = new ArrayList<>();
        List<String> mismatched = new ArrayList<>();
        for (Map.Entry<String, byte[]> signature : head.signatures().entrySet()) {
            Optional<PublicKey> key = trust.get(signature.getKey());
            if (key.isEmpty()) {
                continue;
            }
            if (Signatures.verify(key.get(), head.manifestBytes(), signature.getValue())) {
                verified.add(signature.getKey());
            } else {
                mismatched.add(signature.getKey());
            }
        }
        if (!verified.isEmpty()) {
            return List.copyOf(verified);
        }
        String trusted = String.join(", ", trust.ids());
        if (!mismatched.isEmpty()) {
            throw Reason.SIGNATURE_INVALID.failure(
                    source + ": the signature by trusted key " + String.join(", ", mismatched)
                            + " does not match manifest.json: the manifest was changed after signing");
        }
        if (head.signatures().isEmpty()) {
            throw Reason.SIGNATURE_MISSING.failure(
                    source + ": not signed: no signatures/KEYID.sig entry (trusted keys: " + trusted + ")");
        }
        throw Reason.SIGNATURE_UNTRUSTED.failure(source + ": signed only by untrusted keys "
                + String.join(", ", head.signatures().keySet()) + " (trusted keys: " + trusted + ")");
    }

    /** The bundle's validity window at {@code now}: refused once expired, or when made more than a day ahead. */
    private static void requireWindow(Manifest manifest, Instant now, String source) {
        if (!now.isBefore(manifest.expiresAt())) {
            long days = Duration.between(manifest.expiresAt(), now).toDays();
            throw Reason.BUNDLE_EXPIRED.failure(source + ": bundle expired on " + manifest.expiresAt() + " ("
                    + (days == 0 ? "less than a day" : days == 1 ? "1 day" : days + " days")
                    + " ago); build a new bundle");
        }
        if (manifest.createdAt().isAfter(now.plus(MAX_CREATED_AHEAD))) {
            throw Reason.BUNDLE_NOT_YET_VALID.failure(source + ": bundle was created at " + manifest.createdAt()
                    + ", more than a day after this host's clock (" + now + "): check the host clock");
        }
    }

    /** @return the secrets' checks, their slow digests still being computed: {@link SecretChecks#await} for the verdict */
    private static SecretChecks streamPayload(
            StrictTarReader tar,
            StrictTarReader.Header first,
            Manifest manifest,
            PayloadSink sink,
            SecretChecks secrets,
            String source)
            throws IOException {
        long offset = 0;
        Set<String> declared = new HashSet<>();
        manifest.carried().forEach(f -> declared.add(f.path()));
        Set<String> seen = new HashSet<>();
        StrictTarReader.Header header = first;
        for (FileEntry expected : manifest.carried()) {
            if (header == null) {
                throw Reason.MISSING_ENTRY.failure(source + ": missing entry " + Printable.quote(expected.path())
                        + ": the archive ends before it");
            }
            if (!header.name().equals(expected.path())) {
                throw unexpected(header, expected, declared, fromBase(manifest), seen, source);
            }
            if (expected.isSecret()) {
                SecretChecks.checkSize(header, source);
            } else if (header.size() != expected.size()) {
                throw Reason.SIZE_MISMATCH.failure(source + ": entry " + Printable.quote(header.name()) + " is "
                        + header.size() + " bytes, the manifest says " + expected.size());
            }
            checkMode(header, expected, source);
            MessageDigest sha256 = Sha256.digest();
            InputStream content = tar.content(sha256);
            try {
                sink.accept(expected, content);
            } catch (BundleReadException e) {
                throw e;
            } catch (FileFailure e) {
                // Names the file it happened on, which a sink that writes behind the stream may have taken earlier.
                throw new UncheckedIOException(source + ": " + e.getMessage(), e);
            } catch (IOException e) {
                throw new UncheckedIOException(
                        source + ": " + expected.path() + ": cannot store: " + e.getMessage(), e);
            }
            tar.finishEntry();
            if (expected.isSecret()) {
                secrets.start(expected, Sha256.hex(sha256));
            } else if (!Sha256.hex(sha256).equals(expected.sha256())) {
                throw Reason.HASH_MISMATCH.failure(source + ": " + expected.path()
                        + ": SHA-256 does not match the manifest: the file was changed after signing");
            }
            seen.add(expected.path());
            offset += header.size();
            secrets.streamed(offset);
            header = tar.next();
        }
        if (header != null) {
            throw unexpected(header, null, declared, fromBase(manifest), seen, source);
        }
        return secrets;
    }

    /**
     * The payload offset {@link SecretChecks#WARM_AHEAD} before the first secret with a slow digest; never without
     * one (an HMAC needs no warm-up), nor where less than that comes before it (too short a stream for a warm-up to
     * finish ahead).
     */
    private static long warmAt(Manifest manifest) {
        long before = 0;
        for (FileEntry file : manifest.carried()) {
            if (file.isSecret() && file.secret().isSlow()) {
                return before > SecretChecks.WARM_AHEAD ? before - SecretChecks.WARM_AHEAD : Long.MAX_VALUE;
            }
            before += file.size();
        }
        return Long.MAX_VALUE;
    }

    private static Set<String> fromBase(Manifest manifest) {
        Set<String> paths = new HashSet<>();
        manifest.files().stream().filter(FileEntry::fromBase).forEach(f -> paths.add(f.path()));
        return paths;
    }

    private static void checkMode(StrictTarReader.Header header, FileEntry expected, String source) {
        int mode = header.mode();
        int fileType = mode & ~07777;
        if ((mode & 07777) != PayloadPaths.modeBits(expected.mode()) || fileType != 0 && fileType != 0100000) {
            throw Reason.UNSAFE_MODE.failure(source + ": entry " + Printable.quote(header.name()) + " has mode "
                    + String.format("%04o", mode) + ", the manifest says " + expected.mode());
        }
    }

    private static FerryException unexpected(
            StrictTarReader.Header header,
            FileEntry expected,
            Set<String> declared,
            Set<String> fromBase,
            Set<String> seen,
            String source) {
        String name = Printable.quote(header.name());
        String problem = header.name().startsWith(BundleLayout.PAYLOAD)
                ? PayloadPaths.problem(header.name())
                : "not under payload/";
        String what;
        Reason reason;
        if (problem != null) {
            what = "unsafe entry " + name + " (" + problem + ")";
            reason = Reason.UNSAFE_PATH;
        } else if (seen.contains(header.name())) {
            what = "entry " + name + " appears twice";
            reason = Reason.DUPLICATE_ENTRY;
        } else if (declared.contains(header.name())) {
            what = "entry " + name + " is out of order";
            reason = Reason.ENTRY_OUT_OF_ORDER;
        } else if (fromBase.contains(header.name())) {
            what = "entry " + name + " is carried, but the manifest says it comes from the base release";
            reason = Reason.DELTA_MISMATCH;
        } else {
            what = "undeclared entry " + name;
            reason = Reason.UNDECLARED_ENTRY;
        }
        String where = expected == null
                ? " after the last declared file"
                : " where " + Printable.quote(expected.path()) + " was expected";
        return reason.failure(source + ": " + what + where);
    }
}
