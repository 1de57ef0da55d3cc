package dev.ferry.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.bundle.hostile.GenuineBundle;
import dev.ferry.bundle.hostile.HostileCase;
import dev.ferry.bundle.hostile.HostileCorpus;
import dev.ferry.bundle.testing.JsonDocument;
import dev.ferry.common.ExitCode;
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
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
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
 * {@code --root}, {@code --service-manager none}, {@code --skip-selftest}) exit with the case's code and word; the
 * whole root is byte-identical afterwards (every file's hash and mode, every link's target) except for the appended
 * install.log line and the lock's pid; no {@code .staging-*} is left; {@code current} still names the previous
 * release, and after the corpus {@code status --json} reports it with no drift; nothing appears in the folder the links
 * and traversals aim at, nor in the process's HOME or TMPDIR; each command ends within seconds, in the default heap.
 */
@Tag("slow")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostileBundlesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long INSTALLED_SEQUENCE = 5;
    private static final String INSTALL_LOG = "var/log/ferry/" + InstallerFixture.NAME + "/install.log";
    /** The host lock's file stays; what it holds (the holder's pid) changes with every run that takes it. */
    private static final String LOCK = "var/lib/ferry/.lock";
    private static final Duration MAX_PER_COMMAND = Duration.ofSeconds(20);

    @TempDir static Path work;
    static InstallerFixture host;
    static Path outside;
    static List<HostileCase> corpus;
    static final AtomicInteger tried = new AtomicInteger();
    static final AtomicInteger refusedCorrectly = new AtomicInteger();
    static final Map<String, java.util.concurrent.atomic.AtomicLong> TIMES = new java.util.concurrent.ConcurrentHashMap<>();
    static final java.util.concurrent.atomic.AtomicLong SLOWEST = new java.util.concurrent.atomic.AtomicLong();

    @BeforeAll
    static void installTheGenuinePreviousReleaseAndWriteTheCorpus() throws IOException {
        host = new InstallerFixture(work.resolve("host"), "none");
        Programs.Run install = host.install(host.bundle(BundleOptions.of("1.0.0", INSTALLED_SEQUENCE)), "--skip-selftest");
        assertThat(install.exitCode()).as(install.toString()).isZero();

        Path upgrade = host.bundle(BundleOptions.of("1.1.0", INSTALLED_SEQUENCE + 1));
        Programs.Run control = host.installer("verify", "--bundle", upgrade.toString(), "--trust", host.trustPem.toString());
        assertThat(control.exitCode()).as("the genuine bundle the corpus is made from verifies: " + control).isZero();

        outside = Files.createDirectories(work.resolve("outside"));
        Files.writeString(outside.resolve("victim"), "the victim's own content\n");
        corpus = HostileCorpus.write(new HostileCorpus.Setting(GenuineBundle.read(upgrade, host.key), InstallerFixture.newKey(),
                outside, Instant.now(), INSTALLED_SEQUENCE), work.resolve("corpus"));
    }

    @AfterAll
    static void summary() {
        System.out.printf("hostile corpus (bin/installer verify + install): %d cases tried, %d refused correctly;"
                + " total ms per command %s, slowest command %d ms%n", tried.get(), refusedCorrectly.get(), new TreeMap<>(TIMES), SLOWEST.get());
        if (host != null) {
            host.close();
        }
    }

    @TestFactory
    @Order(1)
    Stream<DynamicTest> everyHostileBundleIsRefusedAndTheInstalledReleaseIsUntouched() {
        return corpus.stream().map(c -> DynamicTest.dynamicTest(c.toString(), () -> {
            tried.incrementAndGet();
            Map<String, String> rootBefore = snapshot(host.root);
            Map<String, String> outsideBefore = snapshot(outside);
            String logBefore = Files.readString(host.root.resolve(INSTALL_LOG));

            Programs.Run verify = timed("verify", () -> host.installer("verify", "--bundle", c.bundle().toString(), "--trust", host.trustPem.toString()));
            assertRefusal(c, "verify", verify, c.verifyExit());
            Programs.Run install = timed("install", () -> host.install(c.bundle(), "--skip-selftest"));
            assertRefusal(c, "install", install, c.installExit());

            Map<String, String> rootAfter = snapshot(host.root);
            String logAfter = Files.readString(host.root.resolve(INSTALL_LOG));
            assertThat(logAfter).as("install.log is only appended to").startsWith(logBefore);
            assertThat(logAfter.substring(logBefore.length()).lines().count()).as("at most one new install.log line").isLessThanOrEqualTo(1);
            rootBefore.remove(INSTALL_LOG);
            rootAfter.remove(INSTALL_LOG);
            rootBefore.computeIfPresent(LOCK, (k, v) -> "lock file");
            rootAfter.computeIfPresent(LOCK, (k, v) -> "lock file");
            assertThat(rootAfter).as("the root is unchanged but for install.log").isEqualTo(rootBefore);
            assertThat(rootAfter.keySet()).noneMatch(p -> p.contains(".staging-"));
            assertThat(snapshot(outside)).as("nothing appeared where the links and traversals aim").isEqualTo(outsideBefore);
            assertThat(snapshot(host.home)).as("HOME untouched").isEmpty();
            assertThat(snapshot(host.tmp)).as("TMPDIR untouched").isEmpty();

            assertThat(Files.readSymbolicLink(host.release()).toString()).endsWith("1.0.0-" + INSTALLED_SEQUENCE);
            refusedCorrectly.incrementAndGet();
        }));
    }

    /**
     * After the whole corpus (each case already proved the root byte-identical, which is stricter), the installer
     * itself still reports the previous release, intact: status --json, one JVM start instead of one per case.
     */
    @Test
    @Order(2)
    void afterTheWholeCorpusStatusReportsThePreviousReleaseWithNoDrift() throws IOException {
        Programs.Run status = timed("status", () -> host.installer("status", "--json"));
        assertThat(status.exitCode()).as(status.toString()).isZero();
        JsonNode s = JsonDocument.parse(status.stdout());
        assertThat(s.path("release").asText()).isEqualTo("1.0.0-" + INSTALLED_SEQUENCE);
        assertThat(s.path("drift").isArray() && s.path("drift").isEmpty()).as("no drift: " + s.path("drift")).isTrue();
    }

    private static void assertRefusal(HostileCase c, String command, Programs.Run run, ExitCode expected) {
        assertThat(run.exitCode()).as(c.name() + ": installer " + command + "\n" + run).isEqualTo(expected.code());
        assertThat(run.stderr()).as("no stack trace").doesNotContain("\tat ");
        if (expected != ExitCode.OK) {
            assertThat((run.stdout() + run.stderr()).toLowerCase(Locale.ROOT)).as(c.name() + ": installer " + command + "\n" + run)
                    .contains(c.word().toLowerCase(Locale.ROOT));
        }
    }

    private static Programs.Run timed(String name, java.util.function.Supplier<Programs.Run> command) {
        long started = System.nanoTime();
        Programs.Run run = command.get();
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        TIMES.computeIfAbsent(name, k -> new java.util.concurrent.atomic.AtomicLong()).addAndGet(took.toMillis());
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
