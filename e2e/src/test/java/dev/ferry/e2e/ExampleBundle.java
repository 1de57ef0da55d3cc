package dev.ferry.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;

/**
 * The example profile {@code dmz-east.yaml} built by {@code bin/bundler} with a fresh key: a real bundle with both
 * secrets (a JWT token and the proxy password), as a user makes it.
 *
 * @param bundle the signed bundle
 * @param trust the public key that verifies it
 * @param token the token's text
 */
record ExampleBundle(Path bundle, Path trust, String token) {
    static final String NAME = "certinext-bot";

    static ExampleBundle create(Path work) throws IOException {
        Path keys = work.resolve("keys");
        ok(Programs.bundler("keys", "generate", "--name", "release", "--out", keys.toString(), "--no-passphrase"));
        Path tokenFile = work.resolve("token.jwt");
        Instant now = Instant.now();
        String token = InstallerFixture.jwt("example", now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(30)));
        Files.writeString(tokenFile, token, StandardCharsets.UTF_8);
        ok(Programs.bundler(
                "create",
                "--profile",
                Programs.REPO.resolve("profiles/examples/dmz-east.yaml").toString(),
                "--key",
                keys.resolve("release.key.pem").toString(),
                "--token",
                tokenFile.toString(),
                "--out",
                work.resolve("bundles").toString()));
        try (Stream<Path> files = Files.list(work.resolve("bundles"))) {
            Path bundle = files.filter(f -> f.toString().endsWith(".bundle.tar.zst"))
                    .findFirst()
                    .orElseThrow();
            return new ExampleBundle(bundle, keys.resolve("release.pub.pem"), token);
        }
    }

    private static void ok(Programs.Run run) {
        assertThat(run.exitCode()).as(run.toString()).isZero();
    }
}
