package dev.ferry.bundle.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.bundle.BundleLayout;
import dev.ferry.bundle.BundleSpec;
import dev.ferry.bundle.BundleWriter;
import dev.ferry.bundle.CarriedTrust;
import dev.ferry.bundle.PayloadFile;
import dev.ferry.bundle.TokenInfo;
import dev.ferry.bundle.WrittenBundle;
import dev.ferry.common.Progress;
import dev.ferry.keys.SigningKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds real bundles with {@link BundleWriter} for tests:
 * {@code TestBundles.bundle("agent", "1.0.0").file("payload/runtime/bin/agent", "#!/bin/sh\n", "0755")
 * .signedBy(key).writeTo(dir)}. Defaults: sequence 1, createdAt 2026-11-22T10:00:00Z, expiry 90 days later, a token
 * valid for a week at {@code payload/secrets/token}, level 3, one worker. File contents are written to
 * {@code OUTDIR.sources/} beside the output folder, so the output folder holds only the bundle.
 */
public final class TestBundles {
    public static final Instant CREATED_AT = Instant.parse("2026-11-22T10:00:00Z");

    private final String name;
    private final String version;
    private long sequence = 1;
    private Instant createdAt = CREATED_AT;
    private Instant expiresAt;
    private JsonNode profile;
    private TokenInfo token;
    private String tokenSecret = "test-token-secret";
    private boolean withToken = true;
    private final Map<String, Object> contents = new LinkedHashMap<>();
    private final Map<String, String> modes = new LinkedHashMap<>();
    private final List<SigningKey> signers = new ArrayList<>();
    private final List<CarriedTrust> carried = new ArrayList<>();
    private int level = 3;
    private int workers = 1;

    private TestBundles(String name, String version) {
        this.name = name;
        this.version = version;
        ObjectNode p = JsonNodeFactory.instance.objectNode();
        p.put("name", "test-profile");
        this.profile = p;
    }

    public static TestBundles bundle(String name, String version) {
        return new TestBundles(name, version);
    }

    public TestBundles sequence(long value) {
        this.sequence = value;
        return this;
    }

    public TestBundles createdAt(Instant value) {
        this.createdAt = value;
        return this;
    }

    public TestBundles expiresAt(Instant value) {
        this.expiresAt = value;
        return this;
    }

    public TestBundles profile(JsonNode value) {
        this.profile = value;
        return this;
    }

    /** The token entry: its public facts in the manifest, {@code secret} as {@code payload/secrets/token} (0600). */
    public TestBundles token(String id, Instant notBefore, Instant notAfter, String secret) {
        this.token = new TokenInfo(id, notBefore, notAfter, BundleLayout.TOKEN);
        this.tokenSecret = secret;
        this.withToken = true;
        return this;
    }

    public TestBundles noToken() {
        this.withToken = false;
        return this;
    }

    public TestBundles file(String path, String content, String mode) {
        return file(path, content.getBytes(StandardCharsets.UTF_8), mode);
    }

    public TestBundles file(String path, byte[] content, String mode) {
        contents.put(path, content);
        modes.put(path, mode);
        return this;
    }

    /** A file packed from an existing source (for large inputs). */
    public TestBundles file(String path, Path source, String mode) {
        contents.put(path, source);
        modes.put(path, mode);
        return this;
    }

    public TestBundles signedBy(SigningKey... keys) {
        signers.addAll(List.of(keys));
        return this;
    }

    public TestBundles signedBy(TestKeys.TestKey... keys) {
        for (TestKeys.TestKey key : keys) {
            signers.add(key.signingKey());
        }
        return this;
    }

    /** Trust documents to carry as {@code trust/VERSION.trust.json} entries, oldest first. */
    public TestBundles carrying(List<CarriedTrust> documents) {
        carried.addAll(documents);
        return this;
    }

    public TestBundles level(int value) {
        this.level = value;
        return this;
    }

    public TestBundles workers(int value) {
        this.workers = value;
        return this;
    }

    /** The spec the writer gets, with contents written under {@code sources}. */
    public BundleSpec spec(Path sources) {
        try {
            List<PayloadFile> files = new ArrayList<>();
            Map<String, Object> all = new LinkedHashMap<>(contents);
            Map<String, String> allModes = new LinkedHashMap<>(modes);
            TokenInfo tokenInfo = null;
            if (withToken) {
                tokenInfo = token != null
                        ? token
                        : new TokenInfo("tok-1", createdAt, createdAt.plus(Duration.ofDays(7)), BundleLayout.TOKEN);
                all.putIfAbsent(tokenInfo.path(), tokenSecret.getBytes(StandardCharsets.UTF_8));
                allModes.putIfAbsent(tokenInfo.path(), "0600");
            }
            for (Map.Entry<String, Object> entry : all.entrySet()) {
                Path source;
                if (entry.getValue() instanceof Path path) {
                    source = path;
                } else {
                    source = sources.resolve(String.format("%04d", files.size()));
                    Files.createDirectories(sources);
                    Files.write(source, (byte[]) entry.getValue());
                }
                files.add(new PayloadFile(entry.getKey(), source, allModes.get(entry.getKey())));
            }
            Instant expiry = expiresAt != null ? expiresAt : createdAt.plus(Duration.ofDays(90));
            return new BundleSpec(name, version, sequence, createdAt, expiry, profile, tokenInfo, files);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public WrittenBundle writeTo(Path outDir) {
        if (signers.isEmpty()) {
            throw new IllegalStateException("signedBy(...) first: the writer refuses to write an unsigned bundle");
        }
        Path sources = outDir.resolveSibling(outDir.getFileName() + ".sources");
        return new BundleWriter(level, workers).write(spec(sources), signers, carried, outDir, Progress.NONE);
    }
}
