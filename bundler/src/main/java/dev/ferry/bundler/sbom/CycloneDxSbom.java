package dev.ferry.bundler.sbom;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.ferry.bundle.DerivedFiles.HashedFile;
import dev.ferry.bundle.Sha256;
import dev.ferry.common.FerryException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import org.cyclonedx.Version;
import org.cyclonedx.exception.GeneratorException;
import org.cyclonedx.generators.BomGeneratorFactory;
import org.cyclonedx.model.Bom;
import org.cyclonedx.model.Component;
import org.cyclonedx.model.Dependency;
import org.cyclonedx.model.Hash;
import org.cyclonedx.model.Metadata;
import org.cyclonedx.model.OrganizationalEntity;
import org.cyclonedx.model.Property;
import org.cyclonedx.model.metadata.ToolInformation;

/**
 * {@code payload/sbom/bom.cdx.json}: the payload as a CycloneDX 1.6 SBOM, made with the CycloneDX project's own
 * library (SPEC section 12). The agent is the main component; each Java archive is a library with its Maven
 * coordinates (only where a pom.properties states them), a Java runtime a platform, and every payload file a file
 * component with its SHA-256 (a secret file without one).
 *
 * <p>Reproducible: the serial number is a name-based UUID of the content (the agent, createdAt and every file's
 * path and hash), the timestamp is createdAt, and components come in path order.
 */
public final class CycloneDxSbom {
    private static final ObjectMapper INDENTED = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    public static final String PATH = "payload/sbom/bom.cdx.json";
    public static final Version SPEC_VERSION = Version.VERSION_16;
    /** The bom-ref of the main component, the agent. */
    static final String AGENT_REF = "agent";

    static final String PATH_PROPERTY = "ferry:path";
    static final String SECRET_PROPERTY = "ferry:secret";
    /** The namespace of the name-based serial numbers (a fixed, random UUID: Ferry's SBOMs). */
    private static final UUID SERIAL_NAMESPACE = UUID.fromString("1f0c8a4e-3d52-4c39-9a8e-6a1d2f5b7c90");

    /** What {@code inspect --sbom} and {@code diff} read at most: far above the SBOM of a 100,000-file runtime. */
    public static final int MAX_BYTES = 64 * 1024 * 1024;

    /** The bundle's identity: the agent it carries and when it was made. */
    public record Subject(String name, String version, Instant createdAt, String ferryVersion) {}

    private CycloneDxSbom() {}

    /** @param inputs every payload file but the SBOM and provenance, sorted by path */
    public static byte[] write(Subject subject, List<HashedFile> inputs, PayloadScan scan) {
        // The library models and writes everything but the file components after the first: thousands of those,
        // all alike, are streamed into its components array (FileComponents) for a fraction of the object model's
        // CPU. The first goes through the library, so the array is always the library's own; the result is the
        // bytes the library writes for the whole list (SbomTest compares them).
        int modelled = Math.min(1, inputs.size());
        String json = libraryJson(bom(subject, inputs, scan, modelled));
        return FileComponents.appendTo(json, inputs.subList(modelled, inputs.size()));
    }

    /** Every component through the library's model: what {@link #write} equals, byte for byte (tests). */
    static byte[] writeModelled(Subject subject, List<HashedFile> inputs, PayloadScan scan) {
        return libraryJson(bom(subject, inputs, scan, inputs.size())).getBytes(StandardCharsets.UTF_8);
    }

    private static Bom bom(Subject subject, List<HashedFile> inputs, PayloadScan scan, int modelledFiles) {
        Bom bom = new Bom();
        bom.setSerialNumber("urn:uuid:" + serialNumber(subject, inputs));
        bom.setVersion(1);
        bom.setMetadata(metadata(subject));
        List<Component> components = new ArrayList<>();
        Dependency agent = new Dependency(AGENT_REF);
        for (JavaRuntimeRelease runtime : scan.runtimes()) {
            Component component = runtime(runtime);
            components.add(component);
            agent.addDependency(new Dependency(component.getBomRef()));
        }
        for (JavaArchive archive : scan.archives()) {
            Component component = library(archive);
            components.add(component);
            agent.addDependency(new Dependency(component.getBomRef()));
        }
        for (HashedFile file : inputs.subList(0, modelledFiles)) {
            components.add(file(file));
        }
        bom.setComponents(components);
        bom.setDependencies(new ArrayList<>(List.of(agent)));
        return bom;
    }

    /** Compact: the file list of a large runtime is megabytes; `bundler inspect --sbom` prints it indented. */
    private static String libraryJson(Bom bom) {
        try {
            return BomGeneratorFactory.createJson(SPEC_VERSION, bom).toJsonString(false);
        } catch (GeneratorException e) {
            throw new IllegalStateException("cannot serialise the SBOM", e);
        }
    }

    private static Metadata metadata(Subject subject) {
        Metadata metadata = new Metadata();
        metadata.setTimestamp(Date.from(subject.createdAt()));
        Component tool = new Component();
        tool.setType(Component.Type.APPLICATION);
        tool.setGroup("dev.ferry");
        tool.setName("ferry-bundler");
        tool.setVersion(subject.ferryVersion());
        ToolInformation tools = new ToolInformation();
        tools.setComponents(List.of(tool));
        metadata.setToolChoice(tools);
        Component agent = new Component();
        agent.setType(Component.Type.APPLICATION);
        agent.setBomRef(AGENT_REF);
        agent.setName(subject.name());
        agent.setVersion(subject.version());
        metadata.setComponent(agent);
        return metadata;
    }

    private static Component runtime(JavaRuntimeRelease release) {
        Component component = new Component();
        component.setType(Component.Type.PLATFORM);
        component.setBomRef("runtime:" + release.folder());
        component.setName("java-runtime");
        component.setVersion(release.version());
        if (release.implementor() != null) {
            OrganizationalEntity supplier = new OrganizationalEntity();
            supplier.setName(release.implementor());
            component.setSupplier(supplier);
        }
        List<Property> properties = new ArrayList<>();
        properties.add(property(PATH_PROPERTY, release.folder()));
        if (release.modules() != null) {
            properties.add(property("ferry:java:modules", release.modules()));
        }
        if (release.os() != null && release.arch() != null) {
            properties.add(property("ferry:java:platform", release.os() + "-" + release.arch()));
        }
        component.setProperties(properties);
        return component;
    }

    private static Component library(JavaArchive archive) {
        Component component = new Component();
        component.setType(Component.Type.LIBRARY);
        component.setBomRef("jar:" + archive.path());
        MavenCoordinates own = archive.coordinates();
        if (own != null) {
            component.setGroup(own.group());
            component.setName(own.artifact());
            component.setVersion(own.version());
            component.setPurl(own.purl());
        } else {
            component.setName(archive.fileName());
        }
        component.setHashes(List.of(new Hash(Hash.Algorithm.SHA_256, archive.sha256())));
        component.setProperties(List.of(property(PATH_PROPERTY, archive.path())));
        List<Component> inside = new ArrayList<>();
        for (MavenCoordinates included : archive.included()) {
            Component part = new Component();
            part.setType(Component.Type.LIBRARY);
            part.setBomRef("jar:" + archive.path() + "#" + included.purl());
            part.setGroup(included.group());
            part.setName(included.artifact());
            part.setVersion(included.version());
            part.setPurl(included.purl());
            inside.add(part);
        }
        for (JavaArchive nested : archive.nested()) {
            inside.add(library(nested));
        }
        if (!inside.isEmpty()) {
            component.setComponents(inside);
        }
        return component;
    }

    private static Component file(HashedFile file) {
        String path = file.entry().path();
        Component component = new Component();
        component.setType(Component.Type.FILE);
        component.setBomRef("file:" + path);
        component.setName(path);
        if (SecretFiles.isSecret(path)) {
            component.setProperties(List.of(property(SECRET_PROPERTY, "true")));
        } else {
            component.setHashes(
                    List.of(new Hash(Hash.Algorithm.SHA_256, file.entry().sha256())));
        }
        return component;
    }

    private static Property property(String name, String value) {
        Property property = new Property();
        property.setName(name);
        property.setValue(value);
        return property;
    }

    /**
     * A name-based (version 5) UUID of what the SBOM describes, so the same bundle gets the same serial number and
     * another bundle another. A secret file's digest does not enter it (the UUID would be a fast test of guesses).
     */
    static UUID serialNumber(Subject subject, List<HashedFile> inputs) {
        MessageDigest content = Sha256.digest();
        update(content, subject.name(), subject.version(), subject.createdAt().toString());
        for (HashedFile file : inputs) {
            String path = file.entry().path();
            update(content, path, SecretFiles.isSecret(path) ? "" : file.entry().sha256());
        }
        return nameBased(Sha256.hex(content));
    }

    private static UUID nameBased(String name) {
        MessageDigest sha1;
        try {
            sha1 = MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-1", e);
        }
        ByteBuffer namespace = ByteBuffer.allocate(16);
        namespace
                .putLong(SERIAL_NAMESPACE.getMostSignificantBits())
                .putLong(SERIAL_NAMESPACE.getLeastSignificantBits());
        sha1.update(namespace.array());
        byte[] hash = sha1.digest(name.getBytes(StandardCharsets.UTF_8));
        hash[6] = (byte) (hash[6] & 0x0f | 0x50);
        hash[8] = (byte) (hash[8] & 0x3f | 0x80);
        ByteBuffer bits = ByteBuffer.wrap(hash, 0, 16);
        return new UUID(bits.getLong(), bits.getLong());
    }

    private static void update(MessageDigest digest, String... fields) {
        for (String field : fields) {
            digest.update(field.getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0);
        }
        digest.update((byte) '\n');
    }

    /** {@code bom} indented for a reader (the bundle keeps it compact). */
    public static String indent(byte[] bom) {
        try {
            return INDENTED.writeValueAsString(INDENTED.readTree(bom));
        } catch (IOException e) {
            throw FerryException.verification("the SBOM is not JSON: " + e.getMessage());
        }
    }
}
