package dev.ferry.bundle;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.ferry.common.FerryException;
import dev.ferry.common.Reason;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code manifest.json}, both ways. Encoding is deterministic (fixed field order, ISO-8601 instants, two-space
 * indent, {@code \n} line ends on every platform) because the signed bytes and the reproducible bundle depend on it.
 * Decoding is strict: everything that could mislead an installer is refused as VERIFICATION with one line naming
 * the bundle. Unknown fields are ignored, because SPEC lets later versions add fields to {@code ferry-bundle/1}.
 */
public final class ManifestCodec {
    /** Bundle names and versions become file and folder names on the host: keep them plain. */
    private static final Pattern NAME_PATTERN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]{0,127}");

    /** Built on first use: a verifier only decodes, and a mapper takes about 20 ms to build in a cold JVM. */
    private static final class Writer {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }

    /** The one value of a file's {@code from}: it comes from the delta's base release. */
    public static final String FROM_BASE = "base";
    /** A secret file's field for how its bytes are bound ({@link SecretDigest}). */
    private static final String SECRET = "secret";

    private ManifestCodec() {}

    public static byte[] encode(Manifest manifest) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JsonGenerator json = Writer.MAPPER.getFactory().createGenerator(bytes)) {
            DefaultIndenter indenter = new DefaultIndenter("  ", "\n");
            json.setPrettyPrinter(
                    new DefaultPrettyPrinter().withObjectIndenter(indenter).withArrayIndenter(indenter));
            json.writeStartObject();
            json.writeStringField("format", manifest.format());
            json.writeStringField("name", manifest.name());
            json.writeStringField("version", manifest.version());
            json.writeNumberField("sequence", manifest.sequence());
            json.writeStringField("createdAt", instant(manifest.createdAt()));
            json.writeStringField("expiresAt", instant(manifest.expiresAt()));
            json.writeFieldName("profile");
            Writer.MAPPER.writeTree(
                    json, manifest.profile() == null ? JsonNodeFactory.instance.objectNode() : manifest.profile());
            TokenInfo token = manifest.token();
            if (token != null) {
                json.writeObjectFieldStart("token");
                json.writeStringField("id", token.id());
                json.writeStringField("notBefore", instant(token.notBefore()));
                json.writeStringField("notAfter", instant(token.notAfter()));
                json.writeStringField("path", token.path());
                json.writeEndObject();
            }
            DeltaBase base = manifest.base();
            if (base != null) {
                json.writeObjectFieldStart("base");
                json.writeStringField("name", base.name());
                json.writeStringField("version", base.version());
                json.writeNumberField("sequence", base.sequence());
                json.writeStringField("manifestSha256", base.manifestSha256());
                json.writeEndObject();
            }
            json.writeArrayFieldStart("files");
            for (FileEntry file : manifest.files()) {
                json.writeStartObject();
                json.writeStringField("path", file.path());
                if (file.isSecret()) {
                    json.writeStringField("mode", file.mode());
                    writeSecret(json, file.secret());
                } else {
                    json.writeNumberField("size", file.size());
                    json.writeStringField("sha256", file.sha256());
                    json.writeStringField("mode", file.mode());
                }
                if (file.fromBase()) {
                    json.writeStringField("from", FROM_BASE);
                }
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        bytes.write('\n');
        return bytes.toByteArray();
    }

    private static String instant(Instant instant) {
        return DateTimeFormatter.ISO_INSTANT.format(instant);
    }

    /** How a secret file's bytes are bound, in place of its size and SHA-256 (SPEC section 2). */
    private static void writeSecret(JsonGenerator json, SecretDigest secret) throws IOException {
        json.writeObjectFieldStart(SECRET);
        json.writeStringField("kdf", secret.kdf());
        if (secret.isSlow()) {
            json.writeNumberField("iterations", secret.iterations());
            json.writeStringField("salt", secret.salt());
        }
        if (secret.hash() != null) {
            json.writeStringField("hash", secret.hash());
        }
        json.writeEndObject();
    }

    /**
     * @param source the bundle file, named in every error
     */
    public static Manifest decode(byte[] bytes, String source) {
        return new Decoder(source, true).decode(bytes);
    }

    /**
     * A manifest this host verified when it installed the release and keeps in the root-owned release folder: every
     * rule but the host-field rules ({@link HostFieldRules}), which a newer Ferry may have made stricter. A release
     * installed before stays readable for status, rollback, undo, register and uninstall; a new bundle never gets
     * here without {@link #decode}.
     */
    public static Manifest decodeKept(byte[] bytes, String source) {
        return new Decoder(source, false).decode(bytes);
    }

    /** Decoding with the bundle's name at hand for every message. */
    private static final class Decoder {
        private final String source;
        private final boolean hostFields;

        Decoder(String source, boolean hostFields) {
            this.source = source;
            this.hostFields = hostFields;
        }

        private FerryException fail(String what) {
            return fail(Reason.MALFORMED_MANIFEST, what);
        }

        private FerryException fail(Reason reason, String what) {
            return reason.failure(source + ": manifest.json: " + what);
        }

        Manifest decode(byte[] bytes) {
            if (bytes.length > BundleLayout.MAX_MANIFEST_BYTES) {
                throw fail("larger than " + BundleLayout.MAX_MANIFEST_BYTES + " bytes");
            }
            try {
                StandardCharsets.UTF_8
                        .newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(bytes));
            } catch (CharacterCodingException e) {
                throw fail("not valid UTF-8");
            }
            JsonNode root;
            try {
                root = ManifestTree.read(bytes);
            } catch (JsonProcessingException e) {
                throw fail("not valid JSON: "
                        + e.getOriginalMessage().lines().findFirst().orElse(""));
            } catch (IOException e) {
                throw fail("not valid JSON: " + e.getMessage());
            }
            if (root == null || !root.isObject()) {
                throw fail("not a JSON object");
            }
            String format = text(root, "format");
            if (!Manifest.FORMAT.equals(format)) {
                throw fail("format " + Printable.quote(format) + " is not " + Manifest.FORMAT);
            }
            String name = text(root, "name");
            String version = text(root, "version");
            long sequence = count(root, "sequence");
            Instant createdAt = instant(root, "createdAt");
            Instant expiresAt = instant(root, "expiresAt");
            JsonNode profile = root.get("profile");
            if (profile == null || !profile.isObject()) {
                throw fail("missing or non-object field 'profile'");
            }
            Manifest manifest = new Manifest(
                    format,
                    name,
                    version,
                    sequence,
                    createdAt,
                    expiresAt,
                    profile,
                    token(root),
                    files(root),
                    base(root));
            Problem problem = hostFields ? problem(manifest) : structuralProblem(manifest);
            if (problem != null) {
                throw fail(problem.reason(), problem.what());
            }
            return manifest;
        }

        private JsonNode required(JsonNode parent, String field, String where) {
            JsonNode node = parent.get(field);
            if (node == null || node.isNull()) {
                throw fail("missing field '" + where + field + "'");
            }
            return node;
        }

        private String text(JsonNode parent, String field) {
            return text(parent, field, "");
        }

        private String text(JsonNode parent, String field, String where) {
            JsonNode node = required(parent, field, where);
            if (!node.isTextual()) {
                throw fail("field '" + where + field + "' is not a string");
            }
            return node.textValue();
        }

        private long count(JsonNode parent, String field) {
            return count(parent, field, "");
        }

        private long count(JsonNode parent, String field, String where) {
            JsonNode node = required(parent, field, where);
            if (!node.isIntegralNumber() || !node.canConvertToLong()) {
                throw fail("field '" + where + field + "' is not a whole number");
            }
            long value = node.longValue();
            if (value < 0) {
                throw fail("field '" + where + field + "' is negative");
            }
            return value;
        }

        private Instant instant(JsonNode parent, String field) {
            return instant(parent, field, "");
        }

        private Instant instant(JsonNode parent, String field, String where) {
            String value = text(parent, field, where);
            try {
                return Instant.parse(value);
            } catch (DateTimeParseException e) {
                throw fail("field '" + where + field + "' is not an ISO-8601 instant like 2026-11-22T10:00:00Z: "
                        + Printable.quote(value));
            }
        }

        private List<FileEntry> files(JsonNode root) {
            JsonNode array = required(root, "files", "");
            if (!array.isArray()) {
                throw fail("field 'files' is not an array");
            }
            List<FileEntry> files = new ArrayList<>(array.size());
            for (int i = 0; i < array.size(); i++) {
                JsonNode node = array.get(i);
                String where = "files[" + i + "].";
                if (!node.isObject()) {
                    throw fail("files[" + i + "] is not an object");
                }
                String path = text(node, "path", where);
                if (BundleLayout.isSecret(path)) {
                    files.add(secretFile(node, path, where));
                } else if (node.has(SECRET)) {
                    throw fail(
                            Reason.UNSAFE_FIELD,
                            "field '" + where + SECRET + "' on " + Printable.quote(path) + ": only files under "
                                    + BundleLayout.SECRETS + " are listed that way");
                } else {
                    files.add(new FileEntry(
                            path,
                            count(node, "size", where),
                            text(node, "sha256", where),
                            text(node, "mode", where),
                            fromBase(node, where)));
                }
            }
            return List.copyOf(files);
        }

        /** A secret file: how its bytes are bound, and never a fast digest (SPEC section 2). */
        private FileEntry secretFile(JsonNode node, String path, String where) {
            if (!hostFields && !node.has(SECRET)) {
                // Kept by a host that installed it before secrets were sealed: readable, never accepted from a bundle.
                return new FileEntry(
                        path,
                        count(node, "size", where),
                        text(node, "sha256", where),
                        text(node, "mode", where),
                        fromBase(node, where));
            }
            for (String fast : new String[] {"sha256", "size"}) {
                if (node.has(fast)) {
                    throw fail(
                            Reason.UNSAFE_FIELD,
                            "field '" + where + fast + "' on the secret " + Printable.quote(path) + ": a secret's "
                                    + fast + " is never published (it would let a reader test guesses)");
                }
            }
            JsonNode secret = required(node, SECRET, where);
            if (!secret.isObject()) {
                throw fail("field '" + where + SECRET + "' is not an object");
            }
            String inner = where + SECRET + ".";
            String kdf = text(secret, "kdf", inner);
            boolean keyed = SecretDigest.HMAC.equals(kdf) || SecretDigest.BINDING_KEY_KDF.equals(kdf);
            for (String slowOnly : new String[] {"iterations", "salt"}) {
                if (keyed && secret.has(slowOnly)) {
                    throw fail(
                            Reason.UNSAFE_FIELD,
                            "field '" + inner + slowOnly + "' on the secret " + Printable.quote(path) + ": only a "
                                    + SecretDigest.KDF + " digest has one");
                }
            }
            SecretDigest digest = new SecretDigest(
                    kdf,
                    SecretDigest.KDF.equals(kdf) || secret.has("iterations") ? count(secret, "iterations", inner) : 0,
                    SecretDigest.KDF.equals(kdf) || secret.has("salt") ? text(secret, "salt", inner) : null,
                    SecretDigest.BINDING_KEY_KDF.equals(kdf) && !secret.has("hash")
                            ? null
                            : text(secret, "hash", inner));
            return new FileEntry(
                    path, FileEntry.SIZE_NOT_PUBLISHED, null, text(node, "mode", where), fromBase(node, where), digest);
        }

        private boolean fromBase(JsonNode node, String where) {
            JsonNode from = node.get("from");
            if (from == null) {
                return false;
            }
            if (!from.isTextual() || !FROM_BASE.equals(from.textValue())) {
                throw fail("field '" + where + "from' is not \"" + FROM_BASE + "\"");
            }
            return true;
        }

        private DeltaBase base(JsonNode root) {
            JsonNode node = root.get("base");
            if (node == null) {
                return null;
            }
            if (!node.isObject()) {
                throw fail("field 'base' is not an object");
            }
            return new DeltaBase(
                    text(node, "name", "base."),
                    text(node, "version", "base."),
                    count(node, "sequence", "base."),
                    text(node, "manifestSha256", "base."));
        }

        private TokenInfo token(JsonNode root) {
            JsonNode node = root.get("token");
            if (node == null || node.isNull()) {
                return null;
            }
            if (!node.isObject()) {
                throw fail("field 'token' is not an object");
            }
            return new TokenInfo(
                    text(node, "id", "token."),
                    instant(node, "notBefore", "token."),
                    instant(node, "notAfter", "token."),
                    text(node, "path", "token."));
        }
    }

    /**
     * What a manifest must satisfy beyond its JSON types. The decoder refuses a manifest that breaks a rule; the
     * writer checks its draft against the same rules before it reads a byte, so it cannot produce what the verifier
     * refuses. Cheap: one pass over the files, then the profile (a few kilobytes) bound once for its host fields.
     *
     * @return why the manifest is refused, or null
     */
    static Problem problem(Manifest m) {
        Problem structural = structuralProblem(m);
        // Everything of the profile that reaches the host: the same rules for verify, inspect, install and create.
        return structural != null ? structural : HostFieldRules.problem(m);
    }

    /** The rules of the format itself: names, files, validity, delta, token binding. */
    private static Problem structuralProblem(Manifest m) {
        for (String[] field : new String[][] {{"name", m.name()}, {"version", m.version()}}) {
            if (!NAME_PATTERN.matcher(field[1]).matches()) {
                return unsafeField(field[0] + " " + Printable.quote(field[1])
                        + " is not a plain name (letters, digits, '.', '_', '+', '-')");
            }
        }
        if (m.sequence() < 0) {
            return malformed("sequence " + m.sequence() + " is negative");
        }
        if (!m.expiresAt().isAfter(m.createdAt())) {
            return malformed("expiresAt " + m.expiresAt() + " is not after createdAt " + m.createdAt());
        }
        Problem files = filesProblem(m.files());
        if (files != null) {
            return files;
        }
        String delta = deltaProblem(m);
        if (delta != null) {
            return malformed(delta);
        }
        TokenInfo token = m.token();
        if (token != null) {
            if (token.notAfter().isBefore(token.notBefore())) {
                return malformed(
                        "token.notAfter " + token.notAfter() + " is before token.notBefore " + token.notBefore());
            }
            if (fileAt(m, token.path()) == null) {
                return unsafeField("token.path " + Printable.quote(token.path()) + " is not one of the files");
            }
        }
        return null;
    }

    /**
     * The manifest's file at {@code path}, or null. A binary search, for the rules that run once {@link #filesProblem}
     * has accepted the files' order: a runtime lists thousands of files for the few paths the token and the profile
     * name.
     */
    static FileEntry fileAt(Manifest m, String path) {
        List<FileEntry> files = m.files();
        int low = 0;
        int high = files.size() - 1;
        while (low <= high) {
            int middle = (low + high) >>> 1;
            int order = PayloadPaths.ORDER.compare(files.get(middle).path(), path);
            if (order == 0) {
                return files.get(middle);
            }
            if (order < 0) {
                low = middle + 1;
            } else {
                high = middle - 1;
            }
        }
        return null;
    }

    /** Why a manifest is refused: the stable reason and one line naming the field. */
    record Problem(Reason reason, String what) {}

    private static Problem malformed(String what) {
        return new Problem(Reason.MALFORMED_MANIFEST, what);
    }

    private static Problem unsafeField(String what) {
        return new Problem(Reason.UNSAFE_FIELD, what);
    }

    private static Problem unsafePath(String what) {
        return new Problem(Reason.UNSAFE_PATH, what);
    }

    /**
     * A delta (SPEC section 11) is built against an older release of the same agent, named exactly; only files of
     * the release folder can come from it (secrets are moved out of every release, so they always travel).
     */
    private static String deltaProblem(Manifest m) {
        DeltaBase base = m.base();
        if (base == null) {
            return m.files().stream()
                    .filter(FileEntry::fromBase)
                    .findFirst()
                    .map(f -> Printable.quote(f.path()) + " is marked from: base, but the manifest names no base")
                    .orElse(null);
        }
        if (!base.name().equals(m.name())) {
            return "a delta for another agent: its base is " + Printable.quote(base.name()) + ", the bundle is of "
                    + Printable.quote(m.name());
        }
        if (!NAME_PATTERN.matcher(base.version()).matches()) {
            return "base.version " + Printable.quote(base.version()) + " is not a plain name";
        }
        if (base.sequence() >= m.sequence()) {
            return "base.sequence " + base.sequence() + " is not below the bundle's sequence " + m.sequence()
                    + ": a delta upgrades an older release";
        }
        if (!Sha256.isHex(base.manifestSha256())) {
            return "base.manifestSha256 is not 64 lowercase hex digits";
        }
        for (FileEntry file : m.files()) {
            if (file.fromBase() && BundleLayout.isSecret(file.path())) {
                return Printable.quote(file.path())
                        + " is marked from: base, but secrets are never kept in a release: it must be carried";
            }
        }
        return null;
    }

    /** A secret file lists how it is bound and nothing a reader could test guesses against fast (SPEC section 2). */
    private static Problem secretProblem(FileEntry file) {
        String path = Printable.quote(file.path());
        if (!file.isSecret()) {
            // Only a kept manifest of a release installed before secrets were sealed lists one so (decodeKept):
            // decode refuses its fast fields before any rule runs, and the writer always seals.
            return Sha256.isHex(file.sha256()) && file.size() >= 0
                    ? null
                    : unsafeField(path + " is a secret file without a 'secret' digest");
        }
        if (!BundleLayout.isSecret(file.path())) {
            return unsafeField(path + " has a 'secret' digest but is not under " + BundleLayout.SECRETS);
        }
        if (file.sha256() != null || file.size() != FileEntry.SIZE_NOT_PUBLISHED) {
            return unsafeField(path + ": a secret's sha256 and size are never published");
        }
        String problem = file.secret().problem();
        return problem == null ? null : unsafeField(path + ": secret: " + problem);
    }

    private static Problem filesProblem(List<FileEntry> files) {
        Map<String, String> foldedPaths = new HashMap<>();
        List<FileEntry> secrets = new ArrayList<>();
        String previous = null;
        for (FileEntry file : files) {
            String path = file.path();
            String problem = PayloadPaths.problem(path);
            if (problem != null) {
                return unsafePath("unsafe path " + Printable.quote(path) + ": " + problem);
            }
            if (previous != null && PayloadPaths.ORDER.compare(previous, path) >= 0) {
                return previous.equals(path)
                        ? new Problem(Reason.DUPLICATE_ENTRY, "duplicate path " + Printable.quote(path))
                        : malformed("files are not sorted by path: " + Printable.quote(path) + " comes after "
                                + Printable.quote(previous));
            }
            previous = path;
            if (BundleLayout.isSecret(path) || file.isSecret()) {
                Problem secret = secretProblem(file);
                if (secret != null) {
                    return secret;
                }
                secrets.add(file);
            } else if (file.size() < 0) {
                return malformed("size of " + Printable.quote(path) + " is negative");
            } else if (!Sha256.isHex(file.sha256())) {
                return malformed("sha256 of " + Printable.quote(path) + " is not 64 lowercase hex digits");
            }
            String modeProblem = PayloadPaths.modeProblem(file.mode());
            if (modeProblem != null) {
                return new Problem(Reason.UNSAFE_MODE, Printable.quote(path) + ": " + modeProblem);
            }
            // Windows and macOS fold case: two spellings of one name would be one file there, the second
            // silently replacing the first. Folder checks below compare folded paths for the same reason.
            String twin = foldedPaths.put(path.toLowerCase(Locale.ROOT), path);
            if (twin != null) {
                return unsafePath(Printable.quote(twin) + " and " + Printable.quote(path)
                        + " differ only in case: they are one file on Windows and macOS");
            }
        }
        Problem binding = bindingProblem(secrets);
        return binding != null ? binding : fileAndFolderProblem(foldedPaths.keySet());
    }

    /**
     * The binding key and the HMACs under it come together: an HMAC needs the key to be checked against, and a key
     * with no HMAC under it would be bytes that nothing binds. A bundle binds its secrets one way: with a key, every
     * secret by an HMAC under it; without, by a PBKDF2 (bundles made before the key). No writer mixes them.
     */
    private static Problem bindingProblem(List<FileEntry> secrets) {
        boolean key = false;
        boolean macs = false;
        boolean slow = false;
        for (FileEntry secret : secrets) {
            String kdf = secret.isSecret() ? secret.secret().kdf() : null;
            boolean atKeyPath = secret.path().equals(BundleLayout.BINDING_KEY);
            if (atKeyPath != SecretDigest.BINDING_KEY_KDF.equals(kdf)) {
                return unsafeField(Printable.quote(secret.path()) + ": only " + BundleLayout.BINDING_KEY
                        + " is listed as the binding key, and it only as that");
            }
            key |= atKeyPath;
            macs |= SecretDigest.HMAC.equals(kdf);
            slow |= SecretDigest.KDF.equals(kdf);
        }
        if (key && slow) {
            return unsafeField("a secret is bound by " + SecretDigest.KDF + " beside " + BundleLayout.BINDING_KEY
                    + ": a bundle with a binding key binds every secret by " + SecretDigest.HMAC);
        }
        if (macs && !key) {
            return unsafeField("secrets are bound by " + SecretDigest.HMAC + ", but the bundle lists no "
                    + BundleLayout.BINDING_KEY + " to check them with");
        }
        if (key && !macs) {
            return unsafeField(BundleLayout.BINDING_KEY + " is listed, but no secret is bound by " + SecretDigest.HMAC
                    + " under it: nothing would bind its bytes");
        }
        return null;
    }

    /**
     * A path that is also the folder of another. Each file's folders are looked at deepest first, and only until one
     * already seen: a runtime's ten thousand files share a few hundred folders, so most files cost one lookup.
     */
    private static Problem fileAndFolderProblem(Set<String> paths) {
        Set<String> folders = new HashSet<>();
        for (String path : paths) {
            for (int slash = path.lastIndexOf('/');
                    slash >= BundleLayout.PAYLOAD.length();
                    slash = path.lastIndexOf('/', slash - 1)) {
                String folder = path.substring(0, slash);
                if (!folders.add(folder)) {
                    break;
                }
                if (paths.contains(folder)) {
                    return unsafePath(
                            Printable.quote(folder) + " is both a file and the folder of " + Printable.quote(path));
                }
            }
        }
        return null;
    }
}
