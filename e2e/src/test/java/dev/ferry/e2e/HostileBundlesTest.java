package dev.ferry.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.bundle.hostile.GenuineBundle;
import dev.ferry.bundle.hostile.HostileCase;
import dev.ferry.bundle.hostile.HostileCorpus;
import dev.ferry.bundle.testing.JsonDocument;
import dev.ferry.common.ExitCode;
import dev.ferry.common.Reason;
import dev.ferry.e2e.InstallerFixture.BundleOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole hostile corpus (bundle module's {@link HostileCorpus}) against {@code bin/installer} as a process: for
 * each case, {@code verify} and {@code install} (over a genuine install of the same agent, under a temporary
 * {@code --root}, {@code --service-manager none}, {@code --skip-selftest}) exit with the case's code and, in their --json document, its reason; the
 * whole root is byte-identical afterwards (every file's hash and mode, every link's target) except for the appended
 * install.log line and the lock's pid; no {@code .staging-*} is left; {@code current} still names the previous
 * release, and after the corpus {@code status --json} reports it with no drift; nothing appears in the folder the links
 * and traversals aim at, nor in the process's HOME or TMPDIR; each command ends within seconds, in the default heap.
 * The cases run on three hosts side by side (each with the same genuine install), with the fault tests' fast-start
 * JVM options ({@link FastStart}).
 */
@Tag("slow")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostileBundlesTest {
    private static final long INSTALLED_SEQUENCE = 5;
    private static final String INSTALL_LOG = "var/log/ferry/" + InstallerFixture.NAME + "/install.log";
    /** The host lock's file stays; what it holds (the holder's pid) changes with every run that takes it. */
    private static final String LOCK = "var/lib/ferry/.lock";
    /** A hang guard, not a speed test: three runs share two cores (and the machine may be shared too). */
    private static final Duration MAX_PER_COMMAND = Duration.ofSeconds(60);

    /**
     * Hosts the corpus runs on side by side: each holds the same genuine install, signed by one key. Three keep both
     * cores busy while one JVM starts and another waits for the disk.
     */
    private static final int HOSTS = 3;

    @TempDir
    static Path work;

    static List<InstallerFixture> hosts;
    static BlockingQueue<InstallerFixture> idle;
    static Path trust;
    static Path outside;
    static List<HostileCase> corpus;
    static ExecutorService runner;
    static final AtomicInteger tried = new AtomicInteger();
    static final AtomicInteger refusedCorrectly = new AtomicInteger();
    static final Map<String, AtomicLong> TIMES = new ConcurrentHashMap<>();
    static final AtomicLong SLOWEST = new AtomicLong();

    @BeforeAll
    static void installTheGenuinePreviousReleaseAndWriteTheCorpus() throws IOException {
        InstallerFixture first = new InstallerFixture(work.resolve("host-0"), "none");
        trust = first.trustPem;
        Path genuine = first.bundle(BundleOptions.of("1.0.0", INSTALLED_SEQUENCE));
        hosts = new ArrayList<>(List.of(first));
        for (int i = 1; i < HOSTS; i++) {
            hosts.add(new InstallerFixture(work.resolve("host-" + i), "none"));
        }
        for (InstallerFixture host : hosts) {
            Programs.Run install = run(
                    host, "install", "--bundle", genuine.toString(), "--trust", trust.toString(), "--skip-selftest");
            assertThat(install.exitCode()).as(install.toString()).isZero();
        }
        idle = new LinkedBlockingQueue<>(hosts);

        Path upgrade = first.bundle(BundleOptions.of("1.1.0", INSTALLED_SEQUENCE + 1));
        Programs.Run control = run(first, "verify", "--bundle", upgrade.toString(), "--trust", trust.toString());
        assertThat(control.exitCode())
                .as("the genuine bundle the corpus is made from verifies: " + control)
                .isZero();

        outside = Files.createDirectories(work.resolve("outside"));
        Files.writeString(outside.resolve("victim"), "the victim's own content\n");
        corpus = HostileCorpus.write(
                new HostileCorpus.Setting(
                        GenuineBundle.read(upgrade, first.key),
                        InstallerFixture.newKey(),
                        outside,
                        Instant.now(),
                        INSTALLED_SEQUENCE),
                work.resolve("corpus"));
        runner = Executors.newFixedThreadPool(HOSTS);
    }

    @AfterAll
    static void summary() {
        System.out.printf(
                "hostile corpus (bin/installer verify + install, %d hosts side by side): %d cases tried, %d refused"
                        + " correctly; total ms per command %s, slowest command %d ms%n",
                HOSTS, tried.get(), refusedCorrectly.get(), new TreeMap<>(TIMES), SLOWEST.get());
        if (runner != null) {
            runner.shutdownNow();
        }
        if (hosts != null) {
            hosts.forEach(InstallerFixture::close);
        }
    }

    /** bin/installer on {@code host}, started with the fault tests' fast-start options. */
    private static Programs.Run run(InstallerFixture host, String... args) {
        return host.installerWithEnv(Map.of("FERRY_JAVA_OPTS", FastStart.JVM_OPTIONS), args);
    }

    /**
     * Every case is judged as soon as a host is idle (all are started here, {@link #HOSTS} at a time); each dynamic
     * test reports its own case's outcome, in corpus order.
     */
    @TestFactory
    @Order(1)
    Stream<DynamicTest> everyHostileBundleIsRefusedAndTheInstalledReleaseIsUntouched() {
        Map<HostileCase, Future<?>> judged = new LinkedHashMap<>();
        for (HostileCase c : corpus) {
            judged.put(c, runner.submit(() -> {
                InstallerFixture host = idle.take();
                try {
                    judge(c, host);
                } finally {
                    idle.put(host);
                }
                return null;
            }));
        }
        return corpus.stream()
                .map(c -> DynamicTest.dynamicTest(c.toString(), () -> {
                    try {
                        judged.get(c).get(10, TimeUnit.MINUTES);
                    } catch (ExecutionException e) {
                        throw e.getCause();
                    }
                }));
    }

    private static void judge(HostileCase c, InstallerFixture host) throws IOException {
        tried.incrementAndGet();
        Map<String, String> rootBefore = snapshot(host.root);
        Map<String, String> outsideBefore = snapshot(outside);
        String logBefore = Files.readString(host.root.resolve(INSTALL_LOG));

        Programs.Run verify = timed(
                "verify",
                () -> run(host, "verify", "--json", "--bundle", c.bundle().toString(), "--trust", trust.toString()));
        assertRefusal(c, "verify", verify, c.verifyExit(), c.reason());
        Programs.Run install = timed(
                "install",
                () -> run(
                        host,
                        "install",
                        "--json",
                        "--bundle",
                        c.bundle().toString(),
                        "--trust",
                        trust.toString(),
                        "--skip-selftest"));
        assertRefusal(c, "install", install, c.installExit(), c.installReason());

        Map<String, String> rootAfter = snapshot(host.root);
        String logAfter = Files.readString(host.root.resolve(INSTALL_LOG));
        assertThat(logAfter).as("install.log is only appended to").startsWith(logBefore);
        assertThat(logAfter.substring(logBefore.length()).lines().count())
                .as("at most one new install.log line")
                .isLessThanOrEqualTo(1);
        rootBefore.remove(INSTALL_LOG);
        rootAfter.remove(INSTALL_LOG);
        rootBefore.computeIfPresent(LOCK, (k, v) -> "lock file");
        rootAfter.computeIfPresent(LOCK, (k, v) -> "lock file");
        assertThat(rootAfter).as("the root is unchanged but for install.log").isEqualTo(rootBefore);
        assertThat(rootAfter.keySet()).noneMatch(p -> p.contains(".staging-"));
        // The cases on the other hosts aim at the same folder: a write there fails whichever case sees it first.
        assertThat(snapshot(outside))
                .as("nothing appeared where the links and traversals aim")
                .isEqualTo(outsideBefore);
        assertThat(snapshot(host.home)).as("HOME untouched").isEmpty();
        assertThat(snapshot(host.tmp)).as("TMPDIR untouched").isEmpty();

        assertThat(Files.readSymbolicLink(host.release()).toString()).endsWith("1.0.0-" + INSTALLED_SEQUENCE);
        refusedCorrectly.incrementAndGet();
    }

    /**
     * After the whole corpus (each case already proved the root byte-identical, which is stricter), the installer
     * itself still reports the previous release, intact: status --json, one JVM start instead of one per case.
     */
    @Test
    @Order(2)
    void afterTheWholeCorpusStatusReportsThePreviousReleaseWithNoDrift() {
        for (InstallerFixture host : hosts) {
            Programs.Run status = timed("status", () -> run(host, "status", "--json"));
            assertThat(status.exitCode()).as(status.toString()).isZero();
            JsonNode s = JsonDocument.parse(status.stdout());
            assertThat(s.path("release").asText()).isEqualTo("1.0.0-" + INSTALLED_SEQUENCE);
            assertThat(s.path("drift").isArray() && s.path("drift").isEmpty())
                    .as("no drift: " + s.path("drift"))
                    .isTrue();
        }
    }

    /** The exit code, and the stable reason from the one JSON document on stdout: {@code error.reason}. */
    private static void assertRefusal(HostileCase c, String command, Programs.Run run, ExitCode expected, Reason reason)
            throws IOException {
        assertThat(run.exitCode())
                .as(c.name() + ": installer " + command + "\n" + run)
                .isEqualTo(expected.code());
        assertThat(run.stderr()).as("no stack trace").doesNotContain("\tat ");
        if (expected != ExitCode.OK) {
            JsonNode error = JsonDocument.parse(run.stdout()).path("error");
            assertThat(error.path("exit").asInt())
                    .as(c.name() + ": installer " + command + "\n" + run)
                    .isEqualTo(expected.code());
            assertThat(error.path("reason").asText())
                    .as(c.name() + ": installer " + command + "\n" + run)
                    .isEqualTo(reason.code());
        }
    }

    private static Programs.Run timed(String name, Supplier<Programs.Run> command) {
        long started = System.nanoTime();
        Programs.Run run = command.get();
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        TIMES.computeIfAbsent(name, k -> new AtomicLong()).addAndGet(took.toMillis());
        SLOWEST.accumulateAndGet(took.toMillis(), Math::max);
        assertThat(took).as("one command's time").isLessThan(MAX_PER_COMMAND);
        return run;
    }

    /** Every path under {@code root} (not following links) to its kind, permissions and content hash or link target. */
    static Map<String, String> snapshot(Path root) {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.filter(p -> !p.equals(root)).toList()) {
                String what;
                if (Files.isSymbolicLink(p)) {
                    what = "link -> " + Files.readSymbolicLink(p);
                } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    what = "dir " + perms(p);
                } else {
                    what = "file " + perms(p) + " " + sha256(p);
                }
                out.put(root.relativize(p).toString(), what);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private static String perms(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
    }

    private static String sha256(Path file) throws IOException {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            try (var in = Files.newInputStream(file)) {
                byte[] buffer = new byte[8192];
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    sha.update(buffer, 0, n);
                }
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
