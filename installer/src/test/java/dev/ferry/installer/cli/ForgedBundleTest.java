package dev.ferry.installer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.bundle.BundleLayout;
import dev.ferry.bundle.ManifestCodec;
import dev.ferry.bundle.hostile.GenuineBundle;
import dev.ferry.bundle.testing.JsonDocument;
import dev.ferry.bundle.testing.RawBundleWriter;
import dev.ferry.bundle.testing.TestBundles;
import dev.ferry.bundle.testing.TestKeys;
import dev.ferry.bundle.testing.TestKeys.TestKey;
import dev.ferry.cli.FerryCli;
import dev.ferry.profiles.Profile;
import dev.ferry.profiles.ProfileJson;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19 item 6, played as the attacker, in process: a bundle whose manifest names an endpoint on a loopback port
 * this test holds open (a listening socket that counts every connection) and a name of its own. Signed by a key the
 * host does not trust, or a genuine bundle whose manifest was changed after signing: {@code preflight --bundle} and
 * {@code install} refuse it with exit 3 and the signature reason before acting on any of its fields, so nothing
 * connects to that port and nothing appears under the root (no install.log, no folder under the claimed name).
 * A genuine bundle naming the same port shows the probe would have connected.
 */
class ForgedBundleTest {
    private static final String NAME = "sample-bot";

    @TempDir
    Path work;

    private Path root;
    private TestKey release;
    private TestKey stranger;
    private ServerSocket platform;
    private final AtomicInteger connections = new AtomicInteger();
    private Thread acceptor;

    @BeforeEach
    void holdAListeningPortAndMakeKeys() throws IOException {
        root = Files.createDirectories(work.resolve("root"));
        release = TestKeys.create(work.resolve("keys"), "release");
        stranger = TestKeys.create(work.resolve("attacker"), "stranger");
        // Held open for the whole test: the number is never given back, so nothing else can answer on it.
        platform = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        acceptor = new Thread(
                () -> {
                    while (!platform.isClosed()) {
                        try (Socket s = platform.accept()) {
                            connections.incrementAndGet();
                        } catch (SocketException closed) {
                            return;
                        } catch (IOException e) {
                            // the next connection is still counted
                        }
                    }
                },
                "forged-bundle-platform");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    @AfterEach
    void release() throws Exception {
        platform.close();
        acceptor.join(5_000);
    }

    @Test
    void aBundleSignedByAnUntrustedKeyIsRefusedBeforeItsEndpointOrNameIsUsed() throws IOException {
        Path forged = bundle("evil-bot", endpoint(), stranger, "forged");

        Run preflight = installer(
                "preflight",
                "--bundle",
                forged.toString(),
                "--trust",
                release.publicPem().toString(),
                "--json");
        Run install = installer(
                "install",
                "--bundle",
                forged.toString(),
                "--trust",
                release.publicPem().toString(),
                "--skip-selftest",
                "--json");

        assertRefused(preflight, "signature-untrusted");
        assertRefused(install, "signature-untrusted");
        assertNoTrace();
    }

    @Test
    void aGenuineBundleWhoseManifestWasChangedAfterSigningIsRefusedBeforeItsEndpointOrNameIsUsed() throws IOException {
        Path genuine = bundle(NAME, "https://platform.invalid", release, "genuine");
        GenuineBundle g = GenuineBundle.read(genuine, release.signingKey());
        byte[] signed = ManifestCodec.encode(g.manifest());
        byte[] changed = new String(signed, StandardCharsets.UTF_8)
                .replace("https://platform.invalid", endpoint())
                .replace("\"" + NAME + "\"", "\"evil-bot\"")
                .getBytes(StandardCharsets.UTF_8);
        assertThat(changed).isNotEqualTo(signed);
        Path forged = g.payload(RawBundleWriter.create()
                        .manifest(changed)
                        .signature(release.keyId(), release.signingKey().sign(signed)))
                .endOfArchive()
                .writeTo(work.resolve("changed.bundle.tar.zst"));

        Run preflight = installer(
                "preflight",
                "--bundle",
                forged.toString(),
                "--trust",
                release.publicPem().toString(),
                "--json");
        Run install = installer(
                "install",
                "--bundle",
                forged.toString(),
                "--trust",
                release.publicPem().toString(),
                "--skip-selftest",
                "--json");

        assertRefused(preflight, "signature-invalid");
        assertRefused(install, "signature-invalid");
        assertNoTrace();
    }

    /** The control: the held port does see preflight's clock probe when the bundle is genuine, so silence above means something. */
    @Test
    void aGenuineBundleNamingTheSamePortIsProbed() throws Exception {
        Path genuine = bundle(NAME, endpoint(), release, "genuine");

        Run preflight = installer(
                "preflight",
                "--bundle",
                genuine.toString(),
                "--trust",
                release.publicPem().toString(),
                "--json");

        assertThat(JsonDocument.parse(preflight.out()).path("checks").isArray())
                .as(preflight.toString())
                .isTrue();
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (connections.get() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(connections.get())
                .as("the genuine bundle's endpoint was probed")
                .isPositive();
    }

    private void assertRefused(Run run, String reason) {
        assertThat(run.exit()).as(run.toString()).isEqualTo(3);
        JsonNode error = JsonDocument.parse(run.out()).path("error");
        assertThat(error.path("reason").asText()).as(run.toString()).isEqualTo(reason);
        assertThat(run.err()).as("no stack trace").doesNotContain("\tat ");
    }

    private void assertNoTrace() throws IOException {
        assertThat(connections.get())
                .as("connections to the forged manifest's endpoint")
                .isZero();
        List<String> left = new ArrayList<>();
        try (Stream<Path> all = Files.walk(root)) {
            all.filter(p -> !p.equals(root))
                    .forEach(p -> left.add(root.relativize(p).toString()));
        }
        // The host lock is the only thing a command may leave; it names no agent.
        assertThat(left)
                .allMatch(p -> List.of("var", "var/lib", "var/lib/ferry", "var/lib/ferry/.lock")
                        .contains(p));
        assertThat(left).noneMatch(p -> p.contains("evil-bot") || p.contains(NAME) || p.endsWith("install.log"));
    }

    private String endpoint() {
        return "https://127.0.0.1:" + platform.getLocalPort();
    }

    private Path bundle(String name, String endpoint, TestKey signer, String dir) {
        Profile profile = new Profile(
                "test-segment",
                new Profile.Agent(name, "1.0.0", "payload/runtime/", List.of("{{installDir}}/runtime/bin/agent")),
                new Profile.Service(name, null),
                new Profile.Platform(endpoint, "/health", null, null),
                null,
                List.of(),
                new Profile.Token(BundleLayout.TOKEN, null, null),
                new Profile.Prerequisites(List.of("linux"), false, 1L, 60L, null),
                null,
                new Profile.BundleSettings(90, 1L));
        return TestBundles.bundle(name, "1.0.0")
                .profile(ProfileJson.toJson(profile))
                .file("payload/runtime/bin/agent", "#!/bin/sh\nsleep 60\n", "0755")
                .file("payload/runtime/VERSION", "1.0.0\n", "0644")
                .signedBy(signer)
                .writeTo(work.resolve(dir))
                .path();
    }

    private record Run(int exit, String out, String err) {}

    private Run installer(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--root", root.toString(), "--service-manager", "none"));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = FerryCli.build(new InstallerMain(), new PrintWriter(out, true), new PrintWriter(err, true))
                .execute(all.toArray(String[]::new));
        return new Run(exit, out.toString(), err.toString());
    }
}
