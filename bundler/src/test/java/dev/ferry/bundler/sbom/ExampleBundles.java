package dev.ferry.bundler.sbom;

import dev.ferry.bundle.WrittenBundle;
import dev.ferry.bundler.create.BundleCreator;
import dev.ferry.common.Progress;
import dev.ferry.keys.Signer;
import dev.ferry.profiles.ProfileLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** The repository's example profiles, copied into a temp folder so a test may change them, and bundles made from them. */
public final class ExampleBundles {
    public static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");
    static final Path EXAMPLES =
            Path.of("../profiles/examples").toAbsolutePath().normalize();
    /** A JWT whose id is {@link #TOKEN_ID}, valid around {@link #NOW}; its value never appears in SBOM or provenance. */
    static final String TOKEN_ID = "jti-sbom-42";

    final Path dir;
    final Path token;

    public ExampleBundles(Path dir) {
        this.dir = dir;
        try {
            copy(EXAMPLES, dir);
            token = dir.resolve("token.jwt");
            Files.writeString(token, jwt());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The example profiles that are segments (not the parent every one extends). */
    public static List<String> segmentProfiles() {
        try (Stream<Path> files = Files.list(EXAMPLES)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".yaml") && !n.equals("base.yaml"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path profile(String name) {
        return dir.resolve(name);
    }

    Path runtime() {
        return dir.resolve("runtime/certinext-bot");
    }

    public WrittenBundle create(String profile, Path out, long sourceDateEpoch, List<? extends Signer> signers) {
        Path file = profile(profile);
        BundleCreator creator = new BundleCreator(
                Clock.fixed(NOW, ZoneOffset.UTC), Map.of("SOURCE_DATE_EPOCH", Long.toString(sourceDateEpoch)), 2);
        return creator.create(new BundleCreator.Request(
                        file, ProfileLoader.load(file), signers, token, out, null, 3, Progress.NONE))
                .bundle();
    }

    String tokenValue() {
        try {
            return Files.readString(token).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String jwt() {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String header = b64.encodeToString("{\"alg\":\"EdDSA\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        String claims = b64.encodeToString(("{\"jti\":\"" + TOKEN_ID + "\",\"nbf\":"
                        + NOW.minusSeconds(86400).getEpochSecond() + ",\"exp\":"
                        + NOW.plusSeconds(200L * 86400).getEpochSecond() + "}")
                .getBytes(StandardCharsets.UTF_8));
        return header + "." + claims + ".c2VjcmV0LXNpZ25hdHVyZS1wYXJ0";
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path source : walk.toList()) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }
}
