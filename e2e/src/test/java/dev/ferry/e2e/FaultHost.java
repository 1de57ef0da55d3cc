package dev.ferry.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.bundle.BundleSpec;
import dev.ferry.bundle.BundleWriter;
import dev.ferry.bundle.PayloadFile;
import dev.ferry.bundle.TokenInfo;
import dev.ferry.bundle.testing.JsonDocument;
import dev.ferry.e2e.InstallerFixture.BundleOptions;
import dev.ferry.installer.transaction.CrashPoints;
import dev.ferry.profiles.Profile;
import dev.ferry.profiles.ProfileJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

/**
 * A host for the fault tests: an {@link InstallerFixture} (temporary --root, process service manager, real signed
 * bundles) plus the checks every fault test ends with: the host holds one release, whole, its config and token
 * match it, the agent data survived, exactly one agent process runs and it is the current release's.
 */
final class FaultHost implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    /** The agent's own data; nothing but uninstall --purge may touch it. */
    static final String MARKER = "precious.db";

    static final String MARKER_TEXT = "agent data that must survive every fault\n";

    final InstallerFixture fx;
    /** The text of every token handed to the installer here, by token id. */
    private final Map<String, String> tokens = new HashMap<>();

    FaultHost(Path work) {
        this.fx = new InstallerFixture(work, "process");
    }

    Path root() {
        return fx.root;
    }

    Path bundle(String version, long sequence) {
        return bundle(BundleOptions.of(version, sequence));
    }

    Path bundle(BundleOptions o) {
        tokens.put("tok-" + o.sequence(), o.token()); // the fixture's token id
        return fx.bundle(o);
    }

    Path delta(BundleOptions o, Path base) {
        tokens.put("tok-" + o.sequence(), o.token());
        return fx.delta(o, base);
    }

    void rememberToken(String id, String text) {
        tokens.put(id, text);
    }

    /**
     * A bundle like the fixture's plus {@code runtime/blob}, a copy of {@code blob} (random bytes: incompressible, so
     * the bundle is as big as the blob and staging really writes that much).
     */
    Path bigBundle(String version, long sequence, Path blob, long minFreeDiskMb) throws IOException {
        BundleOptions o = BundleOptions.of(version, sequence).withMinFreeDiskMb(minFreeDiskMb);
        tokens.put("tok-" + sequence, o.token());
        Path src = Files.createDirectories(fx.work.resolve("big-src-" + version + "-" + sequence));
        Files.writeString(src.resolve("agent"), InstallerFixture.AGENT.replace("$FERRY_SAMPLE_VERSION", version));
        Files.writeString(src.resolve("template"), InstallerFixture.TEMPLATE);
        Files.writeString(src.resolve("token"), o.token());
        Profile profile = new Profile(
                "test-segment",
                new Profile.Agent(
                        InstallerFixture.NAME,
                        version,
                        "payload/runtime/",
                        List.of("{{installDir}}/runtime/bin/agent", "--config", "{{configDir}}/agent.yaml")),
                new Profile.Service(InstallerFixture.NAME, null),
                null,
                null,
                List.of(new Profile.Template("payload/templates/agent.yaml.mustache", "agent.yaml")),
                new Profile.Token("payload/secrets/token", null, null),
                new Profile.Prerequisites(List.of("linux"), false, minFreeDiskMb, 60L, null),
                null,
                new Profile.BundleSettings(90, sequence));
        List<PayloadFile> files = List.of(
                new PayloadFile("payload/runtime/bin/agent", src.resolve("agent"), "0755"),
                new PayloadFile("payload/runtime/blob", blob, "0644"),
                new PayloadFile("payload/secrets/token", src.resolve("token"), "0600"),
                new PayloadFile("payload/templates/agent.yaml.mustache", src.resolve("template"), "0644"));
        BundleSpec spec = new BundleSpec(
                InstallerFixture.NAME,
                version,
                sequence,
                InstallerFixture.CREATED,
                o.expiresAt(),
                ProfileJson.toJson(profile),
                new TokenInfo("tok-" + sequence, o.tokenNotBefore(), o.tokenNotAfter(), "payload/secrets/token"),
                files);
        return new BundleWriter(3, 1)
                .write(spec, List.of(fx.key), fx.work.resolve("bundles/big-" + version + "-" + sequence))
                .path();
    }

    /** {@code megabytes} of seeded random bytes, written in chunks (never held whole). */
    static Path randomFile(Path file, int megabytes, long seed) throws IOException {
        Random random = new Random(seed);
        byte[] chunk = new byte[1024 * 1024];
        try (var out = Files.newOutputStream(file)) {
            for (int i = 0; i < megabytes; i++) {
                random.nextBytes(chunk);
                out.write(chunk);
            }
        }
        return file;
    }

    /** bin/installer with --root and --service-manager process, plus {@code env}. */
    Programs.Run run(Map<String, String> env, String... args) {
        return Programs.run(env(env), command(args));
    }

    Programs.Run run(String... args) {
        return run(Map.of(), args);
    }

    /** bin/installer started, not awaited: for kills from outside and for races. */
    Process start(Map<String, String> env, Path stdout, Path stderr, String... args) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command(args))
                .redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile());
        pb.environment().putAll(env(env));
        pb.environment().put("NO_COLOR", "1");
        Process p = pb.start();
        p.getOutputStream().close();
        return p;
    }

    /** Runs {@code args} with the crash hook set to {@code point}: it must die there, by SIGKILL. */
    Programs.Run crashAt(String point, String... args) {
        Programs.Run run = run(Map.of(CrashPoints.ENV, point), args);
        assertThat(run.exitCode()).as("killed at %s: %s", point, run).isEqualTo(137);
        assertThat(run.stderr()).as(run.toString()).contains(CrashPoints.ENV + "=" + point);
        FaultLedger.faultInjected();
        return run;
    }

    String[] install(Path bundle, String... more) {
        List<String> a =
                new ArrayList<>(List.of("install", "--bundle", bundle.toString(), "--trust", fx.trustPem.toString()));
        a.addAll(List.of(more));
        return a.toArray(String[]::new);
    }

    String[] reinstall(Path bundle) {
        return new String[] {"reinstall", "--bundle", bundle.toString(), "--trust", fx.trustPem.toString()};
    }

    static String[] plus(String[] args, String... more) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    JsonNode status() {
        Programs.Run run = run("status", "--json");
        assertThat(run.exitCode()).as(run.toString()).isZero();
        return JsonDocument.parse(run.stdout());
    }

    static JsonNode json(Programs.Run run) {
        return JsonDocument.parse(run.stdout());
    }

    void plantMarker() throws IOException {
        Files.writeString(fx.dataDir().resolve(MARKER), MARKER_TEXT);
    }

    /** The whole check, through status --json and the files themselves. */
    JsonNode assertWhole(String release) throws Exception {
        JsonNode s = status();
        assertThat(s.path("installed").asBoolean()).as(s.toString()).isTrue();
        assertThat(s.path("release").asText()).as(s.toString()).isEqualTo(release);
        assertThat(s.path("drift")).as(s.toString()).isEmpty();
        assertThat(s.has("interrupted")).as(s.toString()).isFalse();
        assertThat(s.path("service").asText()).as(s.toString()).isEqualTo("running");
        assertThat(Files.readSymbolicLink(fx.release()).toString()).isEqualTo("releases/" + release);
        String version = release.substring(0, release.lastIndexOf('-'));
        assertThat(Files.readString(fx.configDir().resolve("agent.yaml"))).contains("version: " + version);
        Path token = fx.configDir().resolve("token");
        String tokenId = s.path("token").path("id").asText();
        assertThat(tokens).as("a token this test handed over").containsKey(tokenId);
        assertThat(token).as("the token status names").hasContent(tokens.get(tokenId));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(token)))
                .isEqualTo("rw-------");
        assertThat(fx.dataDir().resolve(MARKER)).hasContent(MARKER_TEXT);
        assertNoDebris();
        assertOneAgent(version);
        return s;
    }

    /** No staging or set-aside folder, no half-written temp file, no transaction backup left behind. */
    void assertNoDebris() throws IOException {
        Path releases = fx.root.resolve("opt/ferry/" + InstallerFixture.NAME + "/releases");
        try (Stream<Path> r = Files.list(releases);
                Stream<Path> base = Files.list(releases.getParent())) {
            assertThat(r.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("."));
            assertThat(base.map(p -> p.getFileName().toString())).containsOnly("current", "releases");
        }
        assertThat(fx.dataDir().resolve(".txn")).doesNotExist();
        try (Stream<Path> d = Files.list(fx.dataDir());
                Stream<Path> c = Files.list(fx.configDir())) {
            assertThat(d.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains(".tmp-"));
            assertThat(c.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains(".tmp-"));
        }
    }

    /** Exactly one agent of this root runs (no orphan of a killed run), and its log says it is {@code version}. */
    void assertOneAgent(String version) throws Exception {
        assertThat(agents()).as("agent processes of " + fx.root).hasSize(1);
        Path log = fx.logDir().resolve("agent.log");
        String last = "";
        for (int i = 0; i < 50 && !last.contains(version); i++) {
            List<String> up = Files.exists(log)
                    ? Files.readAllLines(log).stream()
                            .filter(l -> l.contains(" up"))
                            .toList()
                    : List.of();
            last = up.isEmpty() ? "" : up.get(up.size() - 1);
            if (!last.contains(version)) {
                Thread.sleep(50);
            }
        }
        assertThat(last).as("the last agent start in agent.log").contains("sample-bot " + version + " up");
    }

    /** The agent processes started for this root (their command line names it). */
    List<ProcessHandle> agents() {
        String mark = fx.root.resolve("opt/ferry").toString();
        return ProcessHandle.allProcesses()
                .filter(ProcessHandle::isAlive)
                .filter(p -> p.info().commandLine().map(c -> c.contains(mark)).orElse(false))
                .toList();
    }

    private Map<String, String> env(Map<String, String> extra) {
        Map<String, String> env = new HashMap<>(extra);
        env.put("HOME", fx.home.toString());
        env.put("TMPDIR", fx.tmp.toString());
        env.put("FERRY_JAVA_OPTS", "-Djava.io.tmpdir=" + fx.tmp + " " + FastStart.JVM_OPTIONS);
        return Programs.withTestHooks(env);
    }

    private String[] command(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Programs.REPO.resolve("bin/installer").toString());
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("--root", fx.root.toString(), "--service-manager", "process"));
        return cmd.toArray(String[]::new);
    }

    /** Uninstall stops the agent; any agent of this root still alive after that is killed, so no test leaks one. */
    @Override
    public void close() {
        try {
            if (Files.exists(fx.dataDir().resolve("state.json"))) {
                run("uninstall");
            }
        } finally {
            agents().forEach(p -> {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            });
        }
    }
}
