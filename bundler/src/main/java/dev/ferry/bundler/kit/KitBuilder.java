package dev.ferry.bundler.kit;

import dev.ferry.bundle.BundleSource;
import dev.ferry.bundle.BundleVerifier;
import dev.ferry.bundle.Manifest;
import dev.ferry.bundle.PayloadSink;
import dev.ferry.bundle.trust.ReleaseThreshold;
import dev.ferry.bundle.trust.SignedTrust;
import dev.ferry.bundle.trust.TrustChain;
import dev.ferry.common.FerryException;
import dev.ferry.keys.KeyId;
import dev.ferry.keys.PublicKeys;
import dev.ferry.keys.TrustedKeys;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * {@code bundler kit}: packs the installer image, with the trusted keys embedded, and a bundle that verifies against
 * exactly those keys into one self-extracting {@code NAME-VERSION-linux-x64.kit.run}, plus its {@code .sha256}.
 * Reproducible: the same image, keys and bundle give the same bytes (every mtime is the bundle's createdAt).
 */
public final class KitBuilder {
    static final String SUFFIX = "-linux-x64.kit.run";
    /** The kit embeds the bundle, so the token and proxy password: readable by its owner only. */
    public static final Set<PosixFilePermission> SECRET_FILE = PosixFilePermissions.fromString("rw-------");

    private final InstallerImage image;
    private final KitSubject.Check check;
    private Clock clockForChain = Clock.systemUTC();

    public KitBuilder(InstallerImage image, KitSubject.Check check) {
        this.image = image;
        this.check = check;
    }

    /** The clock a trust chain's expiry is judged by (tests fix it). */
    public KitBuilder judgingChainAt(Clock clock) {
        this.clockForChain = clock;
        return this;
    }

    /** The real check: the one bundle verifier, every payload byte read and discarded. */
    public static KitSubject.Check verifier(Clock clock) {
        return (bundle, keys) -> {
            Manifest manifest = new BundleVerifier(keys, clock)
                    .verify(bundle, PayloadSink.discard())
                    .manifest();
            return new KitSubject(manifest.name(), manifest.version(), manifest.createdAt());
        };
    }

    public Kit build(Path bundle, List<Path> trustFiles, Path outDir) {
        return build(bundle, trustFiles, List.of(), outDir);
    }

    /**
     * @param trustChain trust documents from version 1 (SPEC section 10), embedded so the host starts from them; the
     *     bundle must then meet the chain's release threshold, and {@code trustFiles} may be empty
     */
    public Kit build(Path bundle, List<Path> trustFiles, List<SignedTrust> trustChain, Path outDir) {
        if (!trustChain.isEmpty()) {
            return buildWithChain(bundle, trustFiles, trustChain, outDir);
        }
        if (trustFiles.isEmpty()) {
            throw FerryException.usage(
                    "kit: at least one --trust PUB is needed: the installer in the kit trusts only those keys");
        }
        BundleSource source = BundleSource.of(bundle);
        if (!source.isSplit() && !Files.isRegularFile(bundle)) {
            throw FerryException.usage(bundle + ": no such bundle file");
        }
        TrustedKeys keys = TrustedKeys.load(trustFiles, List.of());
        KitSubject subject = check.verify(bundle, keys);
        try {
            Files.createDirectories(outDir);
            return write(source, trustFiles, outDir, subject);
        } catch (IOException e) {
            throw FerryException.usage(outDir + ": cannot write the kit: " + e.getMessage());
        }
    }

    private Kit buildWithChain(Path bundle, List<Path> trustFiles, List<SignedTrust> trustChain, Path outDir) {
        TrustChain chain = TrustChain.replay(trustChain);
        Manifest manifest = new BundleVerifier(ReleaseThreshold.inMemory(chain, clockForChain), clockForChain)
                .verify(bundle, PayloadSink.discard())
                .manifest();
        KitSubject subject = new KitSubject(manifest.name(), manifest.version(), manifest.createdAt());
        try {
            Files.createDirectories(outDir);
            return write(BundleSource.of(bundle), trustFiles, chain.versions(), outDir, subject);
        } catch (IOException e) {
            throw FerryException.usage(outDir + ": cannot write the kit: " + e.getMessage());
        }
    }

    private Kit write(BundleSource bundle, List<Path> trustFiles, Path outDir, KitSubject subject) throws IOException {
        return write(bundle, trustFiles, List.of(), outDir, subject);
    }

    private Kit write(
            BundleSource bundle, List<Path> trustFiles, List<SignedTrust> chain, Path outDir, KitSubject subject)
            throws IOException {
        String bundleName = bundle.bundleFileName();
        String kitName = subject.name() + "-" + subject.version() + SUFFIX;
        Path kitFile = outDir.resolve(kitName);
        Path payloadFile = Files.createTempFile(outDir, ".kit-payload", ".tar.gz");
        Path partial = Files.createTempFile(outDir, ".kit", ".run.partial");
        Path chainCopies = Files.createTempDirectory(outDir, ".kit-chain");
        try {
            KitPayload payload = new KitPayload(subject.createdAt()).addTree("installer", image.root());
            for (Path pem : trustFiles) {
                String keyId = KeyId.of(PublicKeys.read(pem));
                payload.addFile("installer/" + InstallerImage.TRUST_DIR + "/" + keyId + ".pub.pem", pem, 0644);
            }
            for (SignedTrust version : chain) {
                String name = version.version() + ".trust.json";
                Path copy = Files.write(chainCopies.resolve(name), version.bytes());
                payload.addFile(
                        "installer/" + InstallerImage.TRUST_DIR + "/" + InstallerImage.CHAIN_DIR + "/" + name,
                        copy,
                        0644);
            }
            // The bundle holds the token and the proxy password: unpacked by root (tar keeps modes) it stays root's.
            payload.addBundle("bundle/" + bundleName, bundle, 0600);
            KitPayload.Written written = payload.writeTo(payloadFile);
            byte[] header = KitScript.render(subject, bundleName, written);
            try (OutputStream out = Files.newOutputStream(partial)) {
                out.write(header);
                Files.copy(payloadFile, out);
            }
            // Secret-holding, like the bundle inside: run as `sh KIT.run`, so it needs no execute bit.
            Files.setPosixFilePermissions(partial, SECRET_FILE);
            Files.move(partial, kitFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            String sha256 = sha256(kitFile);
            Path checksumFile = outDir.resolve(kitName + ".sha256");
            Files.writeString(checksumFile, sha256 + "  " + kitName + "\n", StandardCharsets.UTF_8);
            return new Kit(
                    kitFile,
                    checksumFile,
                    subject.name(),
                    subject.version(),
                    Files.size(kitFile),
                    sha256,
                    written.sha256());
        } finally {
            for (SignedTrust version : chain) {
                Files.deleteIfExists(chainCopies.resolve(version.version() + ".trust.json"));
            }
            Files.deleteIfExists(chainCopies);
            Files.deleteIfExists(payloadFile);
            Files.deleteIfExists(partial);
        }
    }

    static String sha256(Path file) {
        try (DigestInputStream in =
                new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(in.getMessageDigest().digest());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
