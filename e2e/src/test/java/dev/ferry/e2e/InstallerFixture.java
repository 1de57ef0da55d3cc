package dev.ferry.e2e;

import dev.ferry.bundle.BundleReader;
import dev.ferry.bundle.BundleSpec;
import dev.ferry.bundle.BundleWriter;
import dev.ferry.bundle.DeltaPlan;
import dev.ferry.bundle.PayloadFile;
import dev.ferry.bundle.TokenInfo;
import dev.ferry.keys.PublicKeys;
import dev.ferry.keys.SigningKey;
import dev.ferry.profiles.Profile;
import dev.ferry.profiles.ProfileJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A host under a temporary {@code --root}, real signed bundles built with the bundle module's writer, and
 * {@code bin/installer} run as a process with a fresh HOME and TMPDIR (checked to stay empty: nothing is written
 * outside the root). The sample agent is a tiny sh script that logs and sleeps.
 */
final class InstallerFixture implements AutoCloseable {
    static final String NAME = "sample-bot";
    static final Instant CREATED = Instant.now().minus(Duration.ofDays(1)).truncatedTo(ChronoUnit.SECONDS);

    final Path work;
    final Path root;
    final Path home;
    final Path tmp;
    final SigningKey key;
    final Path trustPem;
    final String serviceManager;

    InstallerFixture(Path work, String serviceManager) {
        this.work = work;
        this.root = work.resolve("root");
        this.home = work.resolve("home");
        this.tmp = work.resolve("tmp");
        this.serviceManager = serviceManager;
        try {
            Files.createDirectories(root);
            Files.createDirectories(home);
            Files.createDirectories(tmp);
            this.key = newKey();
            this.trustPem = work.resolve("keys/release.pub.pem");
            Files.createDirectories(trustPem.getParent());
            Files.writeString(trustPem, PublicKeys.toPem(key.publicKey()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static SigningKey newKey() {
        try {
            KeyPair kp = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            return SigningKey.of(kp.getPrivate(), kp.getPublic());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A JWT whose claims say {@code nbf}..{@code exp}; the signature part is opaque to the installer. */
    static String jwt(String jti, Instant nbf, Instant exp) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return b64.encodeToString("{\"alg\":\"EdDSA\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(("{\"jti\":\"" + jti + "\",\"nbf\":" + nbf.getEpochSecond() + ",\"exp\":"
                                + exp.getEpochSecond() + "}")
                        .getBytes(StandardCharsets.UTF_8))
                + ".c2lnbmF0dXJl";
    }

    /** What varies between the test bundles. */
    record BundleOptions(
            String version,
            long sequence,
            String agentScript,
            String platformEndpoint,
            long minFreeDiskMb,
            Instant expiresAt,
            String token,
            Instant tokenNotBefore,
            Instant tokenNotAfter) {
        static BundleOptions of(String version, long sequence) {
            Instant nbf = CREATED.minus(Duration.ofDays(1));
            Instant exp = CREATED.plus(Duration.ofDays(30));
            return new BundleOptions(
                    version,
                    sequence,
                    AGENT,
                    null,
                    1,
                    CREATED.plus(Duration.ofDays(90)),
                    jwt("tok-" + sequence, nbf, exp),
                    nbf,
                    exp);
        }

        BundleOptions withAgent(String script) {
            return new BundleOptions(
                    version,
                    sequence,
                    script,
                    platformEndpoint,
                    minFreeDiskMb,
                    expiresAt,
                    token,
                    tokenNotBefore,
                    tokenNotAfter);
        }

        BundleOptions withPlatform(String endpoint) {
            return new BundleOptions(
                    version,
                    sequence,
                    agentScript,
                    endpoint,
                    minFreeDiskMb,
                    expiresAt,
                    token,
                    tokenNotBefore,
                    tokenNotAfter);
        }

        BundleOptions withMinFreeDiskMb(long mb) {
            return new BundleOptions(
                    version,
                    sequence,
                    agentScript,
                    platformEndpoint,
                    mb,
                    expiresAt,
                    token,
                    tokenNotBefore,
                    tokenNotAfter);
        }
    }

    /** Logs a line with its version, then stays up like a daemon (as itself, so its pid file names it). */
    static final String AGENT = "#!/bin/sh\n"
            + "echo \"sample-bot $FERRY_SAMPLE_VERSION up, config $2\"\n"
            + "trap 'exit 0' TERM\n"
            + "while :; do sleep 1; done\n";
    /** An agent that cannot start: the service manager sees it exit at once. */
    static final String BROKEN_AGENT = "#!/bin/sh\necho 'sample-bot: cannot start' >&2\nexit 3\n";

    static final String TEMPLATE = "name: {{agent.name}}\nversion: {{agent.version}}\ndata: {{dataDir}}\n"
            + "token: {{tokenFile}}\nprofile: {{profile.name}}\n";

    Path bundle(BundleOptions o) {
        return bundle(o, defaultPrerequisites(o), null);
    }

    private static Profile.Prerequisites defaultPrerequisites(BundleOptions o) {
        return new Profile.Prerequisites(List.of("linux"), false, o.minFreeDiskMb(), 60L, null);
    }

    /** A delta bundle (SPEC section 11) of {@code o} against the bundle {@code base}: what base holds stays behind. */
    Path delta(BundleOptions o, Path base) {
        return bundle(o, defaultPrerequisites(o), base);
    }

    /** A bundle whose profile asks for {@code prerequisites} (OS, root, disk, clock skew). */
    Path bundle(BundleOptions o, Profile.Prerequisites prerequisites) {
        return bundle(o, prerequisites, null);
    }

    private Path bundle(BundleOptions o, Profile.Prerequisites prerequisites, Path base) {
        try {
            Path src = work.resolve("src-" + o.version() + "-" + o.sequence() + "-" + System.nanoTime());
            Files.createDirectories(src.resolve("runtime/bin"));
            Files.createDirectories(src.resolve("templates"));
            Files.createDirectories(src.resolve("secrets"));
            Files.writeString(
                    src.resolve("runtime/bin/agent"), o.agentScript().replace("$FERRY_SAMPLE_VERSION", o.version()));
            Files.writeString(src.resolve("runtime/VERSION"), o.version() + "\n");
            Files.writeString(src.resolve("templates/agent.yaml.mustache"), TEMPLATE);
            Files.writeString(src.resolve("secrets/token"), o.token());
            Profile profile = new Profile(
                    "test-segment",
                    new Profile.Agent(
                            NAME,
                            o.version(),
                            "payload/runtime/",
                            List.of("{{installDir}}/runtime/bin/agent", "--config", "{{configDir}}/agent.yaml")),
                    new Profile.Service(NAME, null),
                    o.platformEndpoint() == null
                            ? null
                            : new Profile.Platform(o.platformEndpoint(), "/health", null, null),
                    null,
                    List.of(new Profile.Template("payload/templates/agent.yaml.mustache", "agent.yaml")),
                    new Profile.Token("payload/secrets/token", null, null),
                    prerequisites,
                    null,
                    new Profile.BundleSettings(90, o.sequence()));
            List<PayloadFile> files = List.of(
                    new PayloadFile("payload/runtime/bin/agent", src.resolve("runtime/bin/agent"), "0755"),
                    new PayloadFile("payload/runtime/VERSION", src.resolve("runtime/VERSION"), "0644"),
                    new PayloadFile(
                            "payload/templates/agent.yaml.mustache",
                            src.resolve("templates/agent.yaml.mustache"),
                            "0644"),
                    new PayloadFile("payload/secrets/token", src.resolve("secrets/token"), "0600"));
            BundleSpec spec = new BundleSpec(
                    NAME,
                    o.version(),
                    o.sequence(),
                    CREATED,
                    o.expiresAt(),
                    ProfileJson.toJson(profile),
                    new TokenInfo(
                            "tok-" + o.sequence(), o.tokenNotBefore(), o.tokenNotAfter(), "payload/secrets/token"),
                    files);
            Path out = work.resolve((base == null ? "bundles/" : "deltas/") + o.version() + "-" + o.sequence());
            BundleWriter writer = new BundleWriter(3, 1);
            return (base == null ? writer : writer.against(DeltaPlan.against(BundleReader.readManifest(base))))
                    .write(spec, List.of(key), out)
                    .path();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Programs.Run installer(String... args) {
        return installerWithEnv(Map.of(), args);
    }

    /** Runs bin/installer with --root and --service-manager, a fresh HOME and TMPDIR (also the JVM's temp dir). */
    Programs.Run installerWithEnv(Map<String, String> extraEnv, String... args) {
        Map<String, String> env = new HashMap<>(extraEnv);
        env.put("HOME", home.toString());
        env.put("TMPDIR", tmp.toString());
        env.merge("FERRY_JAVA_OPTS", "-Djava.io.tmpdir=" + tmp, (given, tmpDir) -> tmpDir + " " + given);
        List<String> cmd = new ArrayList<>();
        cmd.add(Programs.REPO.resolve("bin/installer").toString());
        cmd.addAll(List.of(args));
        if (args.length > 0 && !args[0].startsWith("-")) {
            cmd.addAll(List.of("--root", root.toString(), "--service-manager", serviceManager));
        }
        return Programs.run(Programs.withTestHooks(env), cmd.toArray(String[]::new));
    }

    Programs.Run install(Path bundle, String... more) {
        List<String> args =
                new ArrayList<>(List.of("install", "--bundle", bundle.toString(), "--trust", trustPem.toString()));
        args.addAll(List.of(more));
        return installer(args.toArray(String[]::new));
    }

    Path release() {
        return root.resolve("opt/ferry/" + NAME + "/current");
    }

    Path configDir() {
        return root.resolve("etc/ferry/" + NAME);
    }

    Path dataDir() {
        return root.resolve("var/lib/ferry/" + NAME);
    }

    Path logDir() {
        return root.resolve("var/log/ferry/" + NAME);
    }

    /** Every file and folder under the root, relative, sorted: to compare "nothing changed". */
    List<String> tree(String under) {
        Path base = root.resolve(under);
        if (!Files.exists(base)) {
            return List.of();
        }
        try (Stream<Path> all = Files.walk(base)) {
            return all.map(p -> root.relativize(p).toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops whatever the tests started: uninstall stops the agent by its pid file. */
    @Override
    public void close() {
        if (Files.exists(dataDir().resolve("state.json"))) {
            installer("uninstall");
        }
    }
}
