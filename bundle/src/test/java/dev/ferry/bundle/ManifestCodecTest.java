package dev.ferry.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.common.ExitCode;
import dev.ferry.common.FerryException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ManifestCodecTest {
    static final String HASH = "a".repeat(64);
    static final String SOURCE = "/bundles/agent-1.0.0.bundle.tar.zst";

    static Manifest sample() {
        ObjectNode profile = JsonNodeFactory.instance.objectNode();
        profile.put("name", "prod-dmz-east");
        profile.putObject("platform").put("endpoint", "https://api.example.com");
        return new Manifest(
                Manifest.FORMAT,
                "certinext-bot",
                "1.4.2",
                42,
                Instant.parse("2026-11-22T10:00:00Z"),
                Instant.parse("2027-02-20T10:00:00Z"),
                profile,
                new TokenInfo(
                        "jti-1",
                        Instant.parse("2026-11-22T00:00:00Z"),
                        Instant.parse("2026-11-29T00:00:00Z"),
                        BundleLayout.TOKEN),
                List.of(
                        new FileEntry("payload/runtime/bin/agent", 1234, HASH, "0755"),
                        FileEntry.secret(
                                BundleLayout.TOKEN,
                                "0600",
                                new SecretDigest(
                                        SecretDigest.KDF, SecretDigest.ITERATIONS, "c".repeat(32), "b".repeat(64)))));
    }

    /** The sample's JSON with one textual replacement, for refusals. */
    static byte[] sampleWith(String from, String to) {
        String json = new String(ManifestCodec.encode(sample()), StandardCharsets.UTF_8);
        assertThat(json).contains(from);
        return json.replace(from, to).getBytes(StandardCharsets.UTF_8);
    }

    static void assertRefused(byte[] bytes, String message) {
        assertThatThrownBy(() -> ManifestCodec.decode(bytes, SOURCE))
                .isInstanceOfSatisfying(
                        FerryException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.VERIFICATION))
                .hasMessageStartingWith(SOURCE + ": manifest.json: ")
                .hasMessageContaining(message)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void encodesTheSpecLayoutWithFixedFieldOrderAndIsoInstants() {
        String json = new String(ManifestCodec.encode(sample()), StandardCharsets.UTF_8);
        assertThat(json)
                .startsWith("{\n  \"format\" : \"ferry-bundle/1\",\n  \"name\" : \"certinext-bot\",")
                .contains("\"createdAt\" : \"2026-11-22T10:00:00Z\"")
                .contains("\"path\" : \"payload/runtime/bin/agent\",\n      \"size\" : 1234,")
                .endsWith("}\n")
                .doesNotContain("\r");
        assertThat(json.indexOf("\"sequence\"")).isLessThan(json.indexOf("\"createdAt\""));
        assertThat(json.indexOf("\"token\"")).isLessThan(json.indexOf("\"files\""));
    }

    @Test
    void roundTripsExactly() {
        byte[] bytes = ManifestCodec.encode(sample());
        Manifest decoded = ManifestCodec.decode(bytes, SOURCE);
        assertThat(decoded).isEqualTo(sample());
        assertThat(ManifestCodec.encode(decoded)).isEqualTo(bytes);
    }

    @Test
    void unknownFieldsAreIgnoredBecauseTheFormatMayGrow() {
        byte[] bytes = sampleWith(
                "\"name\" : \"certinext-bot\",", "\"name\" : \"certinext-bot\", \"addedLater\" : {\"x\" : 1},");
        assertThat(ManifestCodec.decode(bytes, SOURCE).name()).isEqualTo("certinext-bot");
    }

    @Test
    void tokenIsOptional() {
        Manifest m = sample();
        Manifest noToken = new Manifest(
                m.format(),
                m.name(),
                m.version(),
                m.sequence(),
                m.createdAt(),
                m.expiresAt(),
                m.profile(),
                null,
                m.files());
        assertThat(ManifestCodec.decode(ManifestCodec.encode(noToken), SOURCE).token())
                .isNull();
    }

    @Test
    void aManifestCutShortIsRefused() {
        String json = new String(ManifestCodec.encode(sample()), StandardCharsets.UTF_8);
        for (String cut : List.of("\"files\" : [ {", "\"size\" : 12", "\"files\" : [")) {
            String shortened = json.substring(0, json.indexOf(cut) + cut.length());
            assertRefused(shortened.getBytes(StandardCharsets.UTF_8), "not valid JSON");
        }
        assertRefused(new byte[0], "not a JSON object");
        assertRefused("[]".getBytes(StandardCharsets.UTF_8), "not a JSON object");
    }

    @Test
    void invalidUtf8IsRefused() {
        byte[] bytes = sampleWith("prod-dmz-east", "prod-dmz-eas\u00ff");
        byte[] broken = new String(bytes, StandardCharsets.UTF_8).getBytes(StandardCharsets.ISO_8859_1);
        assertRefused(broken, "not valid UTF-8");
    }

    @Test
    void trailingContentIsRefused() {
        byte[] bytes = (new String(ManifestCodec.encode(sample()), StandardCharsets.UTF_8) + "{}")
                .getBytes(StandardCharsets.UTF_8);
        assertRefused(bytes, "not valid JSON");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "\"format\" : \"ferry-bundle/1\"|\"format\" : \"ferry-bundle/2\"|format 'ferry-bundle/2' is not ferry-bundle/1",
                "\"sequence\" : 42|\"sequence\" : -42|field 'sequence' is negative",
                "\"sequence\" : 42|\"sequence\" : 4.2|field 'sequence' is not a whole number",
                "\"sequence\" : 42|\"sequence\" : 99999999999999999999|field 'sequence' is not a whole number",
                "\"size\" : 1234|\"size\" : -1|field 'files[0].size' is negative",
                "\"sequence\" : 42,|\"sequence\" : null,|missing field 'sequence'",
                "\"name\" : \"certinext-bot\",|\"name\" : \"../bot\",|is not a plain name",
                "\"version\" : \"1.4.2\",|\"version\" : \"1.4.2/x\",|is not a plain name",
                "\"createdAt\" : \"2026-11-22T10:00:00Z\"|\"createdAt\" : \"22/11/2026\"|field 'createdAt' is not an ISO-8601 instant",
                "\"expiresAt\" : \"2027-02-20T10:00:00Z\"|\"expiresAt\" : \"2026-01-01T00:00:00Z\"|is not after createdAt",
                "\"mode\" : \"0755\"|\"mode\" : \"4755\"|mode '4755' is not one of",
                "\"mode\" : \"0755\"|\"mode\" : \"0777\"|mode '0777' is not one of",
                "\"mode\" : \"0755\"|\"mode\" : 755|field 'files[0].mode' is not a string",
                "\"sha256\" : \"aaaa|\"sha256\" : \"AAAA|is not 64 lowercase hex digits",
                "\"profile\" : {|\"profile\" : [ ], \"x\" : {|non-object field 'profile'",
                // A key given twice, at every depth: a reader keeping the first value and one keeping the last would
                // judge different manifests.
                "\"sequence\" : 42,|\"sequence\" : 42, \"sequence\" : 43,|Duplicate field 'sequence'",
                "\"mode\" : \"0755\"|\"mode\" : \"0644\", \"mode\" : \"0755\"|Duplicate field 'mode'",
                "\"size\" : 1234|\"size\" : 1, \"size\" : 1234|Duplicate field 'size'",
                "\"endpoint\" :|\"endpoint\" : \"https://other.example\", \"endpoint\" :|Duplicate field 'endpoint'",
                "\"kdf\" :|\"kdf\" : \"none\", \"kdf\" :|Duplicate field 'kdf'",
                "\"id\" : \"jti-1\"|\"id\" : \"jti-2\", \"id\" : \"jti-1\"|Duplicate field 'id'",
            })
    void refusesBadFieldsWithOneLineNamingTheField(String from, String to, String message) {
        assertRefused(sampleWith(from, to), message);
    }

    @ParameterizedTest
    @ValueSource(strings = {"format", "name", "version", "sequence", "createdAt", "expiresAt", "profile", "files"})
    void refusesAMissingRequiredField(String field) {
        String json = new String(ManifestCodec.encode(sample()), StandardCharsets.UTF_8);
        String renamed = json.replaceFirst("\"" + field + "\" :", "\"x" + field + "\" :");
        assertRefused(renamed.getBytes(StandardCharsets.UTF_8), field);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "/etc/passwd|absolute path",
                "runtime/bin/agent|not under payload/",
                "payload/../etc/passwd|'..' segment",
                "payload/./agent|'.' segment",
                "payload//agent|empty segment",
                "payload\\\\runtime\\\\agent|backslash",
                "payload/runtime/|trailing '/'",
                "payload/a\\u0007b|control character",
                "payload/cafe\\u0301|not Unicode NFC",
            })
    void refusesUnsafePaths(String path, String problem) {
        String jsonPath = path.replace("\\u0007", "\\u0007").replace("\\u0301", "\\u0301");
        assertRefused(
                sampleWith("\"path\" : \"payload/runtime/bin/agent\"", "\"path\" : \"" + jsonPath + "\""), problem);
    }

    @Test
    void refusesUnsortedDuplicateAndFileAndFolderPaths() {
        FileEntry a = new FileEntry("payload/a", 1, HASH, "0644");
        FileEntry b = new FileEntry("payload/b", 1, HASH, "0644");
        Manifest m = sample();
        assertRefused(
                ManifestCodec.encode(withFiles(m, List.of(b, a))),
                "files are not sorted by path: 'payload/a' comes after 'payload/b'");
        assertRefused(ManifestCodec.encode(withFiles(m, List.of(a, a))), "duplicate path 'payload/a'");
        FileEntry aDash = new FileEntry("payload/a-x", 1, HASH, "0644");
        FileEntry aChild = new FileEntry("payload/a/x", 1, HASH, "0644");
        assertRefused(
                ManifestCodec.encode(withFiles(m, List.of(a, aDash, aChild))),
                "'payload/a' is both a file and the folder of 'payload/a/x'");
        FileEntry deep = new FileEntry("payload/a/x/y/z", 1, HASH, "0644");
        FileEntry sibling = new FileEntry("payload/a/x/y/zz", 1, HASH, "0644");
        assertRefused(
                ManifestCodec.encode(withFiles(m, List.of(a, deep, sibling))),
                "'payload/a' is both a file and the folder of 'payload/a/x/y/z");
    }

    @Test
    void sortsByUtf8BytesNotByUtf16() {
        // U+FF21 (3 UTF-8 bytes, 0xEF...) sorts after U+1F600 (4 bytes, 0xF0...) in UTF-16 but before it in UTF-8.
        FileEntry fullwidth = new FileEntry("payload/\uFF21", 1, HASH, "0644");
        FileEntry emoji = new FileEntry("payload/\uD83D\uDE00", 1, HASH, "0644");
        Manifest m = withFiles(sample(), List.of(fullwidth, emoji));
        assertThat(ManifestCodec.decode(ManifestCodec.encode(m), SOURCE).files())
                .containsExactly(fullwidth, emoji);
        assertRefused(ManifestCodec.encode(withFiles(sample(), List.of(emoji, fullwidth))), "not sorted");
    }

    @Test
    void refusesATokenPathThatIsNotAFile() {
        Manifest m = sample();
        Manifest bad = new Manifest(
                m.format(),
                m.name(),
                m.version(),
                m.sequence(),
                m.createdAt(),
                m.expiresAt(),
                m.profile(),
                new TokenInfo("jti-1", m.createdAt(), m.expiresAt(), "payload/secrets/other"),
                m.files());
        assertRefused(ManifestCodec.encode(bad), "token.path 'payload/secrets/other' is not one of the files");
    }

    @Test
    void refusesAnythingOverFourMib() {
        byte[] big = new byte[(int) BundleLayout.MAX_MANIFEST_BYTES + 1];
        assertRefused(big, "larger than 4194304 bytes");
    }

    private static Manifest withFiles(Manifest m, List<FileEntry> files) {
        return new Manifest(
                m.format(),
                m.name(),
                m.version(),
                m.sequence(),
                m.createdAt(),
                m.expiresAt(),
                m.profile(),
                null,
                files);
    }

    @Test
    void aSecretWithAFastDigestIsRefusedFromABundleButAReleaseInstalledBeforeStaysReadable() {
        // What bundles listed before secrets were sealed: size and sha256, no 'secret'.
        String sealed = new String(ManifestCodec.encode(sample()), StandardCharsets.UTF_8);
        int at = sealed.indexOf("\"path\" : \"" + BundleLayout.TOKEN + "\",");
        int end = sealed.indexOf("}", sealed.indexOf("\"secret\"", at)) + 1;
        byte[] legacy = (sealed.substring(0, at) + "\"path\" : \"" + BundleLayout.TOKEN
                        + "\",\n      \"size\" : 20,\n      \"sha256\" : \"" + "b".repeat(64)
                        + "\",\n      \"mode\" : \"0600\"" + sealed.substring(end))
                .getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> ManifestCodec.decode(legacy, SOURCE))
                .isInstanceOfSatisfying(
                        FerryException.class, e -> assertThat(e.reason().code()).isEqualTo("unsafe-field"))
                .hasMessageContaining("never published");
        FileEntry kept = ManifestCodec.decodeKept(legacy, "releases/1.4.2-42/manifest.json")
                .files()
                .get(1);
        assertThat(kept.path()).isEqualTo(BundleLayout.TOKEN);
        assertThat(kept.isSecret()).isFalse();
    }
}
