package dev.ferry.bundler.sbom;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.ferry.bundle.DerivedFiles.HashedFile;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The SBOM's file components, one per payload file, written with Jackson's streaming generator into the components
 * array of the JSON the CycloneDX library wrote for the rest: the same members in the library's order
 * ({@code type, bom-ref, name}, then {@code hashes} or, for a secret, only the {@code ferry:secret} property), so
 * the bytes are those the library would write (SbomTest). Thousands of files through the library's object model
 * cost most of what the SBOM added to {@code create} (issue 15).
 */
final class FileComponents {
    private static final JsonFactory JSON = new JsonFactory();

    private FileComponents() {}

    /** {@code json} (a whole BOM with a components array) with {@code files} appended to that array, UTF-8. */
    static byte[] appendTo(String json, List<HashedFile> files) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(json.length() + files.size() * 200);
        try (JsonParser in = JSON.createParser(json);
                JsonGenerator gen = JSON.createGenerator(out)) {
            int depth = 0;
            boolean appended = false;
            for (JsonToken token; (token = in.nextToken()) != null; ) {
                if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
                    depth++;
                } else if (token == JsonToken.END_OBJECT || token == JsonToken.END_ARRAY) {
                    depth--;
                    // The top-level components array closes: the files go in before its end.
                    if (depth == 1 && token == JsonToken.END_ARRAY && "components".equals(in.currentName())) {
                        write(gen, files);
                        appended = true;
                    }
                }
                gen.copyCurrentEvent(in);
            }
            if (!appended && !files.isEmpty()) {
                throw new IllegalStateException(
                        "the SBOM has no components array to add " + files.size() + " files to");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the SBOM's file components", e);
        }
        return out.toByteArray();
    }

    private static void write(JsonGenerator gen, List<HashedFile> files) throws IOException {
        for (HashedFile file : files) {
            String path = file.entry().path();
            gen.writeStartObject();
            gen.writeStringField("type", "file");
            gen.writeStringField("bom-ref", "file:" + path);
            gen.writeStringField("name", path);
            if (SecretFiles.isSecret(path)) {
                gen.writeArrayFieldStart("properties");
                gen.writeStartObject();
                gen.writeStringField("name", CycloneDxSbom.SECRET_PROPERTY);
                gen.writeStringField("value", "true");
                gen.writeEndObject();
                gen.writeEndArray();
            } else {
                gen.writeArrayFieldStart("hashes");
                gen.writeStartObject();
                gen.writeStringField("alg", "SHA-256");
                gen.writeStringField("content", file.entry().sha256());
                gen.writeEndObject();
                gen.writeEndArray();
            }
            gen.writeEndObject();
        }
    }
}
