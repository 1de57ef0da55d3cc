package dev.ferry.bundler.create;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.bundle.BundleLayout;
import dev.ferry.bundle.BundleReader;
import dev.ferry.bundle.BundleSpec;
import dev.ferry.bundle.BundleWriter;
import dev.ferry.bundle.DeltaPlan;
import dev.ferry.bundle.ManifestView;
import dev.ferry.bundle.PayloadFile;
import dev.ferry.bundle.PayloadPaths;
import dev.ferry.bundle.TokenInfo;
import dev.ferry.bundle.WrittenBundle;
import dev.ferry.bundler.sbom.BundleEvidence;
import dev.ferry.bundler.sbom.CycloneDxSbom;
import dev.ferry.bundler.sbom.Provenance;
import dev.ferry.cli.VersionProvider;
import dev.ferry.common.FerryException;
import dev.ferry.common.Progress;
import dev.ferry.keys.Signer;
import dev.ferry.profiles.Profile;
import dev.ferry.profiles.ProfileJson;
import dev.ferry.profiles.ProfileLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * {@code bundler create}: a resolved profile, a token and signing keys in; one signed, reproducible bundle out
 * (SPEC sections 2 and 3). Everything that makes the output differ between two runs comes from the inputs or
 * from {@code SOURCE_DATE_EPOCH}, so the same inputs give the same bytes.
 */
public final class BundleCreator {
    static final int DEFAULT_VALIDITY_DAYS = 90;

    /**
     * @param tokenFile {@code --token}, or null to use the profile's {@code token.file}
     * @param sequence {@code --sequence}, or null for the profile's, else createdAt in epoch seconds
     */
    public record Request(
            Path profileFile,
            Profile profile,
            List<? extends Signer> signers,
            Path tokenFile,
            Path outDir,
            Long sequence,
            int zstdLevel,
            Progress progress,
            Path base) {
        /** A full bundle. */
        public Request(
                Path profileFile,
                Profile profile,
                List<? extends Signer> signers,
                Path tokenFile,
                Path outDir,
                Long sequence,
                int zstdLevel,
                Progress progress) {
            this(profileFile, profile, signers, tokenFile, outDir, sequence, zstdLevel, progress, null);
        }
    }

    /** The bundle and what the technician should know about it (printed on stderr, never a secret). */
    public record Result(WrittenBundle bundle, List<String> warnings) {}

    private final Clock clock;
    private final Map<String, String> env;
    private final int workers;

    public BundleCreator(Clock clock, Map<String, String> env, int workers) {
        this.clock = clock;
        this.env = env;
        this.workers = workers;
    }

    public Result create(Request request) {
        Profile profile = request.profile();
        List<String> warnings = new ArrayList<>();
        Instant now = clock.instant();
        Instant createdAt = createdAt(now);
        int validityDays = profile.bundle() != null && profile.bundle().validityDays() != null
                ? profile.bundle().validityDays()
                : DEFAULT_VALIDITY_DAYS;
        Instant expiresAt = createdAt.plus(Duration.ofDays(validityDays));
        long sequence = request.sequence() != null
                ? request.sequence()
                : profile.bundle() != null && profile.bundle().sequence() != null
                        ? profile.bundle().sequence()
                        : createdAt.getEpochSecond();

        Path tokenFile = tokenFile(request);
        TokenInfo token = TokenWindow.read(tokenFile, profile, now, expiresAt, warnings);
        List<PayloadFile> secrets = secretFiles(profile, tokenFile);

        // Started before the runtime folder is walked (one thread; the other core is free).
        BundleEvidence evidence = new BundleEvidence(
                        new CycloneDxSbom.Subject(
                                profile.agent().name(),
                                profile.agent().version(),
                                createdAt,
                                VersionProvider.version()),
                        new Provenance.Inputs(
                                ProfileLoader.chain(request.profileFile()),
                                Path.of(profile.agent().runtime()),
                                token.id(),
                                sequence,
                                request.signers()))
                .warmUpInBackground();
        List<PayloadFile> files = new ArrayList<>();
        files.addAll(RuntimeCollector.collect(Path.of(profile.agent().runtime()), BundleLayout.RUNTIME));
        ObjectNode manifestProfile = (ObjectNode) ProfileJson.toJson(profile);
        ((ObjectNode) manifestProfile.get("agent"))
                .put("runtime", BundleLayout.RUNTIME.substring(0, BundleLayout.RUNTIME.length() - 1));
        addTemplates(profile, manifestProfile, files);
        if (profile.platform().caFile() != null) {
            files.add(new PayloadFile(
                    BundleLayout.PLATFORM_CA, Path.of(profile.platform().caFile()), "0644"));
            ((ObjectNode) manifestProfile.get("platform")).put("caFile", BundleLayout.PLATFORM_CA);
        }
        if (profile.proxy() != null && profile.proxy().passwordFile() != null) {
            ((ObjectNode) manifestProfile.get("proxy")).put("passwordFile", BundleLayout.PROXY_PASSWORD);
        }
        files.addAll(secrets);
        if (manifestProfile.get("token") instanceof ObjectNode tokenSection) {
            tokenSection.remove("file");
        }
        files.sort(Comparator.comparing(PayloadFile::path, PayloadPaths.ORDER));

        BundleSpec spec = new BundleSpec(
                profile.agent().name(),
                profile.agent().version(),
                sequence,
                createdAt,
                expiresAt,
                manifestProfile,
                token,
                files);
        BundleWriter writer = new BundleWriter(request.zstdLevel(), workers);
        if (request.base() != null) {
            writer = writer.against(deltaBase(request.base(), spec.name()));
        }
        WrittenBundle written = writer.write(spec, request.signers(), request.outDir(), request.progress(), evidence);
        return new Result(written, warnings);
    }

    /**
     * {@code --base}: the bundle the hosts run now (whole or split). Only its manifest is read; its signature is the
     * hosts' business: a delta applies only over a release whose kept manifest has exactly these bytes.
     */
    private static DeltaPlan deltaBase(Path base, String name) {
        ManifestView view = BundleReader.readManifest(base);
        if (!view.manifest().name().equals(name)) {
            throw FerryException.usage(
                    "--base " + base + ": a bundle of " + view.manifest().name() + ", not of " + name
                            + ": a delta is built against an older release of the same agent");
        }
        return DeltaPlan.against(view);
    }

    private Instant createdAt(Instant now) {
        String epoch = env.get("SOURCE_DATE_EPOCH");
        if (epoch == null || epoch.isBlank()) {
            return now.truncatedTo(ChronoUnit.SECONDS);
        }
        try {
            return Instant.ofEpochSecond(Long.parseLong(epoch.strip()));
        } catch (NumberFormatException e) {
            throw FerryException.usage("SOURCE_DATE_EPOCH: expected seconds since 1970, got '" + epoch + "'");
        }
    }

    private static Path tokenFile(Request request) {
        Path file = request.tokenFile();
        if (file == null
                && request.profile().token() != null
                && request.profile().token().file() != null) {
            file = Path.of(request.profile().token().file());
        }
        if (file == null) {
            throw FerryException.usage(request.profileFile()
                    + ": no registration token: give --token FILE or set token.file in the profile");
        }
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw FerryException.usage(file + ": token file not found or not readable");
        }
        return file;
    }

    /** The secret files: the proxy password when the profile has one, and the token. */
    private static List<PayloadFile> secretFiles(Profile profile, Path tokenFile) {
        List<PayloadFile> secrets = new ArrayList<>();
        if (profile.proxy() != null && profile.proxy().passwordFile() != null) {
            secrets.add(new PayloadFile(
                    BundleLayout.PROXY_PASSWORD, Path.of(profile.proxy().passwordFile()), PayloadPaths.SECRET_MODE));
        }
        secrets.add(new PayloadFile(BundleLayout.TOKEN, tokenFile, PayloadPaths.SECRET_MODE));
        return secrets;
    }

    private static void addTemplates(Profile profile, ObjectNode manifestProfile, List<PayloadFile> files) {
        if (profile.templates() == null) {
            return;
        }
        ArrayNode templates = (ArrayNode) manifestProfile.get("templates");
        for (int i = 0; i < profile.templates().size(); i++) {
            Profile.Template t = profile.templates().get(i);
            String bundlePath = BundleLayout.TEMPLATES + t.target() + ".mustache";
            files.add(new PayloadFile(bundlePath, Path.of(t.source()), "0644"));
            ((ObjectNode) templates.get(i)).put("source", bundlePath);
        }
    }
}
