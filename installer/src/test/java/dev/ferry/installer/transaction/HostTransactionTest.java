package dev.ferry.installer.transaction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.ferry.bundle.BundleLayout;
import dev.ferry.bundle.BundleVerifier;
import dev.ferry.bundle.hostile.GenuineBundle;
import dev.ferry.bundle.testing.TestBundles;
import dev.ferry.bundle.testing.TestKeys;
import dev.ferry.common.ExitCode;
import dev.ferry.common.FerryException;
import dev.ferry.common.Progress;
import dev.ferry.common.Reason;
import dev.ferry.installer.check.Cause;
import dev.ferry.installer.check.Check;
import dev.ferry.installer.check.CheckReport;
import dev.ferry.installer.host.HostLayout;
import dev.ferry.installer.host.HostPaths;
import dev.ferry.installer.host.InstallState;
import dev.ferry.installer.host.Releases;
import dev.ferry.installer.host.StateStore;
import dev.ferry.installer.preflight.HostFacts;
import dev.ferry.installer.preflight.Preflight;
import dev.ferry.installer.service.NoneServiceManager;
import dev.ferry.installer.service.ServiceManager;
import dev.ferry.installer.service.ServiceManagerKind;
import dev.ferry.installer.service.ServiceSpec;
import dev.ferry.installer.service.ServiceState;
import dev.ferry.installer.transaction.InstallRequest.Mode;
import dev.ferry.installer.transaction.InstallRequest.PreflightOptions;
import dev.ferry.keys.SigningKey;
import dev.ferry.profiles.Profile;
import dev.ferry.profiles.ProfileJson;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The host transaction in process, on a temporary root: real signed bundles through the one verifier, real files,
 * and seams for what a test host has not got (a service manager that records what it was asked, self-tests that pass
 * or fail on demand, a clock fixed a day after the bundles were made). Every command of SPEC section 5, and recovery.
 */
class HostTransactionTest {
    private static final String NAME = "bot";
    private static final Instant NOW = TestBundles.CREATED_AT.plus(Duration.ofDays(1));
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    @TempDir
    Path work;

    private SigningKey key;
    private HostPaths paths;
    private final RecordingServiceManager service = new RecordingServiceManager();
    /** What the next self-tests answer. */
    private boolean platformAnswers = true;

    @BeforeEach
    void host() {
        key = TestKeys.generate();
        paths = new HostLayout(work.resolve("root")).agent(NAME);
    }

    @Test
    void installPutsTheReleaseInPlaceAndRecordsIt() throws Exception {
        Outcome outcome = install(bundle("1.0.0", 1, "token-one"));

        assertThat(outcome.exit()).isEqualTo(ExitCode.OK);
        assertThat(outcome.message()).isEqualTo("installed bot 1.0.0-1");
        assertThat(Releases.current(paths)).contains("1.0.0-1");
        assertThat(paths.current().resolve("runtime/VERSION")).hasContent("1.0.0\n");
        assertThat(paths.tokenFile()).hasContent("token-one");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(paths.tokenFile())))
                .isEqualTo("rw-------");
        assertThat(paths.current().resolve("secrets"))
                .as("no release keeps a token")
                .doesNotExist();
        InstallState state = StateStore.read(paths).orElseThrow();
        assertThat(state.current().release()).isEqualTo("1.0.0-1");
        assertThat(state.pending()).isNull();
        assertThat(state.token().source()).isEqualTo("bundle");
        assertThat(service.restarts).containsExactly("bot");
        assertThat(Files.readAllLines(paths.installLog()))
                .singleElement()
                .asString()
                .contains(
                        "\"action\":\"install\"",
                        "\"result\":\"installed\"",
                        "\"version\":\"1.0.0\"",
                        "\"bundleSha256\"");
        assertThat(Files.list(paths.releasesDir()).map(p -> p.getFileName().toString()))
                .containsExactly("1.0.0-1");
    }

    @Test
    void theSameReleaseAgainChangesNothingAndAnUpgradeKeepsThePreviousOne() throws Exception {
        Path v1 = bundle("1.0.0", 1, "token-one");
        install(v1);

        Outcome again = install(v1);
        assertThat(again.result()).isEqualTo("already-installed");
        assertThat(service.restarts).hasSize(1);

        Outcome upgrade = install(bundle("1.1.0", 2, "token-two"));
        assertThat(upgrade.message()).isEqualTo("installed bot 1.1.0-2 (was 1.0.0-1)");
        InstallState state = StateStore.read(paths).orElseThrow();
        assertThat(state.current().release()).isEqualTo("1.1.0-2");
        assertThat(state.previous().release()).isEqualTo("1.0.0-1");
        assertThat(paths.tokenFile()).hasContent("token-two");
        assertThat(Releases.exists(paths, "1.0.0-1"))
                .as("the previous release is kept for rollback")
                .isTrue();
    }

    @Test
    void reinstallRestoresADriftedFileAndKeepsAgentData() throws Exception {
        Path v1 = bundle("1.0.0", 1, "token-one");
        install(v1);
        Files.writeString(paths.current().resolve("runtime/VERSION"), "tampered\n");
        Path agentData = Files.writeString(paths.dataDir().resolve("agent-data.db"), "the agent's own");

        Outcome outcome = transaction().run(request(v1, Mode.REINSTALL));

        assertThat(outcome.result()).isEqualTo("reinstalled");
        assertThat(paths.current().resolve("runtime/VERSION")).hasContent("1.0.0\n");
        assertThat(agentData).hasContent("the agent's own");
        assertThat(Files.list(paths.releasesDir()).map(p -> p.getFileName().toString()))
                .containsExactly("1.0.0-1");
    }

    @Test
    void aFailedSelfTestPutsThePreviousReleaseBackRunning() throws Exception {
        install(bundle("1.0.0", 1, "token-one"));
        platformAnswers = false;

        Outcome outcome = install(bundle("1.1.0", 2, "token-two"));

        assertThat(outcome.exit()).isEqualTo(ExitCode.ROLLED_BACK);
        assertThat(outcome.message()).contains("1.1.0-2 was rolled back; 1.0.0-1 is current and running again");
        assertThat(Releases.current(paths)).contains("1.0.0-1");
        assertThat(paths.tokenFile()).as("the previous token is back").hasContent("token-one");
        assertThat(Releases.exists(paths, "1.1.0-2")).isFalse();
        assertThat(Files.list(paths.releasesDir()).map(p -> p.getFileName().toString()))
                .containsExactly("1.0.0-1");
        InstallState state = StateStore.read(paths).orElseThrow();
        assertThat(state.current().release()).isEqualTo("1.0.0-1");
        assertThat(state.pending()).isNull();
        assertThat(state.selfTest().result()).isEqualTo(InstallState.SelfTestRecord.FAIL);
        assertThat(service.restarts)
                .as("new release, then the previous one again")
                .containsExactly("bot", "bot", "bot");
        assertThat(paths.txnDir()).doesNotExist();
    }

    @Test
    void aFirstInstallWhoseSelfTestFailsLeavesNothingButItsLog() throws Exception {
        platformAnswers = false;

        Outcome outcome = install(bundle("1.0.0", 1, "token-one"));

        assertThat(outcome.exit()).isEqualTo(ExitCode.ROLLED_BACK);
        assertThat(paths.current()).doesNotExist();
        assertThat(paths.stateFile()).doesNotExist();
        assertThat(paths.configDir()).doesNotExist();
        assertThat(service.uninstalled).containsExactly("bot");
        assertThat(Files.readAllLines(paths.installLog()))
                .singleElement()
                .asString()
                .contains("\"result\":\"rolled-back\"");
    }

    @Test
    void aDamagedPayloadKeepsItsVerificationCodeAndChangesNothing() throws Exception {
        install(bundle("1.0.0", 1, "token-one"));
        GenuineBundle v2 = GenuineBundle.read(bundle("1.1.0", 2, "token-two"), key);
        // Signed head, one payload file changed after signing (same size): found while streaming into staging.
        Path damaged = v2.payload(
                        v2.head(),
                        Map.of(
                                "payload/runtime/VERSION",
                                raw -> raw.file(
                                        "payload/runtime/VERSION", "6.6.6\n".getBytes(StandardCharsets.UTF_8), 0644)))
                .endOfArchive()
                .writeTo(work.resolve("damaged.bundle.tar.zst"));

        FerryException e = catchThrowableOfType(() -> install(damaged), FerryException.class);

        assertThat(e.reason()).isEqualTo(Reason.HASH_MISMATCH);
        assertThat(Releases.current(paths)).contains("1.0.0-1");
        assertThat(Files.list(paths.releasesDir()).map(p -> p.getFileName().toString()))
                .containsExactly("1.0.0-1");
        assertThat(StateStore.read(paths).orElseThrow().pending()).isNull();
        assertThat(Files.readAllLines(paths.installLog()))
                .last()
                .asString()
                .contains("\"result\":\"failed\"", "\"exitCode\":3");
    }

    @Test
    void aSwappedTokenIsASecretMismatchAndNothingReachesTheHost() throws Exception {
        install(bundle("1.0.0", 1, "token-one"));
        GenuineBundle v2 = GenuineBundle.read(bundle("1.1.0", 2, "token-two"), key);
        // The token's bytes changed after signing (same length): its slow digest is judged beside the flush of the
        // staged release, and the verdict comes before the switch.
        Path swapped = v2.payload(
                        v2.head(),
                        Map.of(
                                BundleLayout.TOKEN,
                                raw -> raw.file(
                                        BundleLayout.TOKEN, "token-six".getBytes(StandardCharsets.UTF_8), 0600)))
                .endOfArchive()
                .writeTo(work.resolve("swapped.bundle.tar.zst"));

        FerryException e = catchThrowableOfType(() -> install(swapped), FerryException.class);

        assertThat(e.reason()).isEqualTo(Reason.SECRET_MISMATCH);
        assertThat(e.exitCode()).isEqualTo(ExitCode.VERIFICATION);
        assertThat(Releases.current(paths)).contains("1.0.0-1");
        assertThat(Files.list(paths.releasesDir()).map(p -> p.getFileName().toString()))
                .containsExactly("1.0.0-1");
        assertThat(paths.tokenFile()).hasContent("token-one");
        InstallState state = StateStore.read(paths).orElseThrow();
        assertThat(state.pending()).isNull();
        assertThat(state.current().release()).isEqualTo("1.0.0-1");
        assertThat(Files.readAllLines(paths.installLog()))
                .last()
                .asString()
                .contains("\"result\":\"failed\"", "\"exitCode\":3");
    }

    @Test
    void registerSwapsTheTokenAndAFailedSelfTestBringsTheOldOneBack() throws Exception {
        install(bundle("1.0.0", 1, "token-one"));
        Path fresh = Files.writeString(work.resolve("fresh.token"), "token-fresh");

        Outcome registered = new Registration(setup()).run(register(fresh), paths);
        assertThat(registered.result()).isEqualTo("registered");
        assertThat(paths.tokenFile()).hasContent("token-fresh");
        assertThat(StateStore.read(paths).orElseThrow().token().source()).isEqualTo("register");

        platformAnswers = false;
        Path bad = Files.writeString(work.resolve("bad.token"), "token-bad");
        Outcome refused = new Registration(setup()).run(register(bad), paths);
        assertThat(refused.exit()).isEqualTo(ExitCode.ROLLED_BACK);
        assertThat(paths.tokenFile()).hasContent("token-fresh");
        assertThat(Files.readAllLines(paths.installLog()))
                .last()
                .asString()
                .contains("\"action\":\"register\"", "rolled-back");
    }

    @Test
    void rollbackReturnsToThePreviousReleaseAndASecondOneComesBack() throws Exception {
        install(bundle("1.0.0", 1, "token-one"));
        install(bundle("1.1.0", 2, "token-two"));

        Outcome back = new Rollback(setup()).run(paths, SelfTestPolicy.ROLL_BACK_ON_FAILURE);
        assertThat(back.message()).isEqualTo("rolled back bot from 1.1.0-2 to 1.0.0-1");
        assertThat(Releases.current(paths)).contains("1.0.0-1");
        assertThat(paths.tokenFile())
                .as("a rollback changes the software, not the registration")
                .hasContent("token-two");

        new Rollback(setup()).run(paths, SelfTestPolicy.SKIP);
        InstallState state = StateStore.read(paths).orElseThrow();
        assertThat(state.current().release()).isEqualTo("1.1.0-2");
        assertThat(state.previous().release()).isEqualTo("1.0.0-1");
    }

    @Test
    void uninstallRemovesTheRuntimeAndKeepsConfigAndDataUnlessPurged() throws Exception {
        install(bundle("1.0.0", 1, "token-one"));

        Outcome removed = new Uninstall(setup()).run(paths, false);
        assertThat(removed.result()).isEqualTo("uninstalled");
        assertThat(paths.installBase()).doesNotExist();
        assertThat(paths.tokenFile()).exists();
        assertThat(StateStore.read(paths).orElseThrow().uninstalledAt()).isEqualTo(NOW);
        assertThat(service.uninstalled).containsExactly("bot");

        Outcome purged = new Uninstall(setup()).run(paths, true);
        assertThat(purged.result()).isEqualTo("purged");
        assertThat(paths.configDir()).doesNotExist();
        assertThat(paths.dataDir()).doesNotExist();
        assertThat(paths.logDir())
                .as("no log line recreates what purge removed")
                .doesNotExist();
    }

    @Test
    void anInterruptedUpgradeIsUndoneByTheNextRun() throws Exception {
        Path v1 = bundle("1.0.0", 1, "token-one");
        install(v1);
        service.dieOnNextRestart = true;

        // Like kill -9 once the service was asked to restart: no undo, no log line, the pending record stays.
        assertThat(catchThrowableOfType(() -> install(bundle("1.1.0", 2, "token-two")), Crash.class))
                .isNotNull();
        assertThat(StateStore.read(paths).orElseThrow().pending()).isNotNull();
        assertThat(Releases.current(paths)).contains("1.1.0-2");

        Outcome next = install(v1);

        assertThat(next.notes())
                .singleElement()
                .asString()
                .contains("recovered bot: undid an interrupted install of 1.1.0-2", "1.0.0-1 is current again");
        assertThat(next.result()).isEqualTo("already-installed");
        assertThat(Releases.current(paths)).contains("1.0.0-1");
        assertThat(Releases.exists(paths, "1.1.0-2")).isFalse();
        assertThat(paths.tokenFile()).hasContent("token-one");
        assertThat(StateStore.read(paths).orElseThrow().pending()).isNull();
    }

    // ---- the host's seams ----

    private Outcome install(Path bundle) {
        return transaction().run(request(bundle, Mode.INSTALL));
    }

    private static InstallRequest request(Path bundle, Mode mode) {
        return new InstallRequest(
                bundle, mode, new PreflightOptions(Set.of(), false), SelfTestPolicy.ROLL_BACK_ON_FAILURE);
    }

    private static RegisterRequest register(Path token) {
        return new RegisterRequest(
                NAME, token, NOW.minusSeconds(60), NOW.plus(Duration.ofDays(30)), SelfTestPolicy.ROLL_BACK_ON_FAILURE);
    }

    private InstallTransaction transaction() {
        BundleVerifier verifier = new BundleVerifier(TestKeys.trust(key), CLOCK);
        Bundles bundles = bundle -> verifier.open(bundle, Progress.NONE);
        return new InstallTransaction(
                setup(),
                bundles,
                manager -> new Preflight(
                        CLOCK,
                        HostFacts.current(),
                        (profile, p) -> Check.pass("clock", "fixed for the test", 0),
                        manager));
    }

    private HostSetup setup() {
        return new HostSetup(
                new HostLayout(work.resolve("root")),
                CLOCK,
                agent -> service,
                (profile, p) -> new CheckReport(List.of(
                        platformAnswers
                                ? Check.pass("tcp", "connected", 0)
                                : Check.fail("tcp", Cause.REFUSED, "connection refused", "open the port", 0))));
    }

    private Path bundle(String version, long sequence, String token) {
        Profile profile = new Profile(
                "segment",
                new Profile.Agent(NAME, version, "payload/runtime/", List.of("{{installDir}}/runtime/bin/agent")),
                new Profile.Service(NAME, null),
                null,
                null,
                List.of(),
                new Profile.Token(BundleLayout.TOKEN, null, null),
                new Profile.Prerequisites(List.of("linux"), false, 1L, 60L, null),
                null,
                new Profile.BundleSettings(90, sequence));
        return TestBundles.bundle(NAME, version)
                .sequence(sequence)
                .profile(ProfileJson.toJson(profile))
                .token(
                        "tok-" + sequence,
                        TestBundles.CREATED_AT,
                        TestBundles.CREATED_AT.plus(Duration.ofDays(7)),
                        token)
                .file("payload/runtime/bin/agent", "#!/bin/sh\nsleep 60\n", "0755")
                .file("payload/runtime/VERSION", version + "\n", "0644")
                .signedBy(key)
                .writeTo(work.resolve("bundles/" + version))
                .path();
    }

    /** A kill in the middle: an Error, which no step catches, so nothing after it runs. */
    private static final class Crash extends Error {
        private static final long serialVersionUID = 1L;
    }

    /** Records what it is asked; starts nothing. */
    private static final class RecordingServiceManager implements ServiceManager {
        final List<String> restarts = new ArrayList<>();
        final List<String> uninstalled = new ArrayList<>();
        boolean dieOnNextRestart;

        @Override
        public ServiceManagerKind kind() {
            return ServiceManagerKind.NONE;
        }

        @Override
        public Check check() {
            return new NoneServiceManager().check();
        }

        @Override
        public void install(ServiceSpec spec) {}

        @Override
        public void restart(ServiceSpec spec) {
            if (dieOnNextRestart) {
                dieOnNextRestart = false;
                throw new Crash();
            }
            restarts.add(spec.name());
        }

        @Override
        public void stop(ServiceSpec spec) {}

        @Override
        public ServiceState state(ServiceSpec spec) {
            return ServiceState.RUNNING;
        }

        @Override
        public void uninstall(ServiceSpec spec) {
            uninstalled.add(spec.name());
        }
    }
}
