package dev.ferry.bundler.sbom;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.bundle.BundleLayout;
import dev.ferry.bundle.DerivedFiles.HashedFile;
import dev.ferry.bundle.Sha256;
import dev.ferry.bundle.dsse.Envelope;
import dev.ferry.bundle.dsse.EnvelopeCodec;
import dev.ferry.common.FerryException;
import dev.ferry.keys.Signer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.List;

/**
 * {@code payload/sbom/provenance.dsse.json} (SPEC section 12): a DSSE envelope of type
 * {@code application/vnd.in-toto+json} holding an in-toto Statement v1 whose predicate is SLSA Provenance v1,
 * signed by the keys that sign the bundle.
 *
 * <p>The statement's subject is the SBOM (which names every payload file's SHA-256). The build definition names
 * the profile files of the {@code extends} chain with their SHA-256, the runtime folder with its digest (see
 * {@link #runtimeDigest}), the agent, sequence, createdAt and the token's id, never the token. Paths are relative
 * to the profile's folder, so the same inputs in another folder give the same bytes.
 *
 * <p>Written by hand with Jackson: the maintained Java in-toto library (in-toto-java) models Statement v0.1 and SLSA
 * v0.2 only, and the in-toto attestation project publishes no Java binding of Statement v1 to Maven Central.
 */
public final class Provenance {
    public static final String PATH = "payload/sbom/provenance.dsse.json";
    public static final String PAYLOAD_TYPE = "application/vnd.in-toto+json";
    static final String STATEMENT_TYPE = "https://in-toto.io/Statement/v1";
    static final String PREDICATE_TYPE = "https://slsa.dev/provenance/v1";
    static final String BUILD_TYPE = "urn:dev.ferry:bundler-create:v1";
    static final String BUILDER_ID = "urn:dev.ferry:bundler";
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * What the bundle was built from.
     *
     * @param profileChain the profile file and the parents it extends, itself first
     * @param runtime the runtime folder ({@code agent.runtime})
     * @param tokenId the token's id (never the token), or null
     */
    public record Inputs(
            List<Path> profileChain, Path runtime, String tokenId, long sequence, List<? extends Signer> signers) {}

    private Provenance() {}

    /** @param files every payload file but the provenance itself, sorted by path (the SBOM among them) */
    static byte[] write(CycloneDxSbom.Subject subject, Inputs inputs, List<HashedFile> files) {
        byte[] statement = statement(subject, inputs, files);
        Envelope envelope = Envelope.unsigned(PAYLOAD_TYPE, statement);
        for (Signer signer : inputs.signers()) {
            envelope = envelope.signedBy(signer);
        }
        return EnvelopeCodec.encode(envelope);
    }

    static byte[] statement(CycloneDxSbom.Subject subject, Inputs inputs, List<HashedFile> files) {
        ObjectNode statement = JSON.createObjectNode();
        statement.put("_type", STATEMENT_TYPE);
        ArrayNode subjects = statement.putArray("subject");
        for (HashedFile file : files) {
            if (file.entry().path().equals(CycloneDxSbom.PATH)) {
                ObjectNode sbom = subjects.addObject();
                sbom.put("name", CycloneDxSbom.PATH);
                sbom.putObject("digest").put("sha256", file.entry().sha256());
            }
        }
        statement.put("predicateType", PREDICATE_TYPE);
        ObjectNode predicate = statement.putObject("predicate");

        ObjectNode definition = predicate.putObject("buildDefinition");
        definition.put("buildType", BUILD_TYPE);
        Path base = profileFolder(inputs.profileChain().get(0));
        ObjectNode external = definition.putObject("externalParameters");
        external.put("profile", relative(base, inputs.profileChain().get(0)));
        ObjectNode agent = external.putObject("agent");
        agent.put("name", subject.name());
        agent.put("version", subject.version());
        external.put("sequence", inputs.sequence());
        external.put("createdAt", subject.createdAt().toString());
        ObjectNode token = external.putObject("token");
        if (inputs.tokenId() == null) {
            token.putNull("id");
        } else {
            token.put("id", inputs.tokenId());
        }
        ArrayNode dependencies = definition.putArray("resolvedDependencies");
        for (Path profile : inputs.profileChain()) {
            ObjectNode dependency = dependencies.addObject();
            dependency.put("uri", "file:" + relative(base, profile));
            dependency.putObject("digest").put("sha256", sha256(profile));
            dependency.putObject("annotations").put("role", "profile");
        }
        ObjectNode runtime = dependencies.addObject();
        runtime.put("uri", "file:" + relative(base, inputs.runtime()) + "/");
        runtime.putObject("digest").put("sha256", runtimeDigest(files));
        runtime.putObject("annotations")
                .put("role", "runtime")
                .put("digestOf", "the sha256sum listing of every file, sorted by path (see the README)");

        ObjectNode run = predicate.putObject("runDetails");
        ObjectNode builder = run.putObject("builder");
        builder.put("id", BUILDER_ID);
        builder.putObject("version").put("ferry", subject.ferryVersion());
        ObjectNode metadata = run.putObject("metadata");
        metadata.put("invocationId", subject.name() + "-" + subject.version() + "#" + inputs.sequence());
        metadata.put("startedOn", subject.createdAt().toString());
        metadata.put("finishedOn", subject.createdAt().toString());
        try {
            return JSON.writeValueAsBytes(statement);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise the provenance statement", e);
        }
    }

    /**
     * The runtime folder's digest, reproducible with stock tools: the SHA-256 of what {@code sha256sum} prints for
     * every file of the folder (paths relative to it, in byte order), that is
     * {@code (cd RUNTIME && find -L . -type f -printf '%P\n' | LC_ALL=C sort | xargs -d '\n' sha256sum) | sha256sum}.
     */
    static String runtimeDigest(List<HashedFile> files) {
        MessageDigest listing = Sha256.digest();
        for (HashedFile file : files) {
            String path = file.entry().path();
            if (path.startsWith(BundleLayout.RUNTIME)) {
                String line = file.entry().sha256() + "  " + path.substring(BundleLayout.RUNTIME.length()) + "\n";
                listing.update(line.getBytes(StandardCharsets.UTF_8));
            }
        }
        return Sha256.hex(listing);
    }

    private static Path profileFolder(Path profile) {
        Path parent = profile.toAbsolutePath().normalize().getParent();
        return parent != null ? parent : profile.toAbsolutePath().getRoot();
    }

    private static String relative(Path base, Path file) {
        return base.relativize(file.toAbsolutePath().normalize()).toString().replace('\\', '/');
    }

    private static String sha256(Path file) {
        MessageDigest digest = Sha256.digest();
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            in.transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
            throw FerryException.usage(file + ": cannot read the profile: " + e.getMessage());
        }
        return Sha256.hex(digest);
    }
}
