package dev.ferry.installer.cli;

import dev.ferry.bundle.BundleVerifier;
import dev.ferry.bundle.ManifestWarmUp;
import dev.ferry.bundle.trust.ReleaseThreshold;
import dev.ferry.bundle.trust.TrustChain;
import dev.ferry.common.FerryException;
import dev.ferry.common.Progress;
import dev.ferry.installer.check.Check;
import dev.ferry.installer.check.CheckReport;
import dev.ferry.installer.host.HostLayout;
import dev.ferry.installer.host.HostPaths;
import dev.ferry.installer.host.InstallState;
import dev.ferry.installer.host.StateStore;
import dev.ferry.installer.preflight.ClockProbe;
import dev.ferry.installer.preflight.HostFacts;
import dev.ferry.installer.preflight.Preflight;
import dev.ferry.installer.selftest.ClockCheck;
import dev.ferry.installer.selftest.Resolver;
import dev.ferry.installer.selftest.SelfTestPlans;
import dev.ferry.installer.selftest.SelfTests;
import dev.ferry.installer.service.ServiceManager;
import dev.ferry.installer.service.ServiceManagerKind;
import dev.ferry.installer.service.ServiceManagers;
import dev.ferry.installer.transaction.Bundles;
import dev.ferry.installer.transaction.Connectivity;
import dev.ferry.installer.transaction.HostSetup;
import dev.ferry.installer.transaction.TestHooks;
import dev.ferry.installer.trust.HostTrust;
import dev.ferry.keys.TrustedKeys;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Builds the core for one command from its options: the clock, the service manager, trusted keys, the bundle
 * reader and verifier, preflight and the self-tests. The only place that knows the concrete implementations.
 */
final class HostRuntime {
    /**
     * TEST ONLY: an ISO-8601 instant the clock starts at (it keeps running from there), so end-to-end tests can
     * put the host before or after a token or bundle window. Honoured only with the test hooks on ({@link TestHooks}).
     */
    static final String TEST_NOW_ENV = TestHooks.NOW_ENV;
    /** Where a packaged installer keeps its embedded trusted keys ({@code *.pub.pem}). */
    static final String EMBEDDED_TRUST_PROPERTY = "ferry.embeddedTrustDir";

    private final HostOptions options;
    private final HostLayout layout;
    private final Clock clock;

    HostRuntime(HostOptions options) {
        this.options = options;
        this.layout = new HostLayout(options.root.toAbsolutePath().normalize());
        this.clock = clock(TestHooks.current().now().orElse(null));
    }

    static Clock clock(String testNow) {
        if (testNow == null || testNow.isBlank()) {
            return Clock.systemUTC();
        }
        try {
            return Clock.offset(Clock.systemUTC(), Duration.between(Instant.now(), Instant.parse(testNow.strip())));
        } catch (DateTimeParseException e) {
            throw FerryException.usage(TEST_NOW_ENV + ": not an ISO-8601 instant");
        }
    }

    HostLayout layout() {
        return layout;
    }

    Clock clock() {
        return clock;
    }

    /** {@code --service-manager systemd} with a relocated root is refused before anything is touched (no lock taken). */
    private void refuseSystemdOutsideRoot() {
        if (options.serviceManager == ServiceManagerKind.SYSTEMD
                && layout.root().getParent() != null) {
            serviceManager(null);
        }
    }

    /** {@code auto} means the manager the agent was installed with, if it was; else the host's own choice. */
    ServiceManager serviceManager(String agent) {
        ServiceManagerKind kind = options.serviceManager;
        if (kind == ServiceManagerKind.AUTO && agent != null) {
            InstallState state = StateStore.readIfIntact(layout.agent(agent)).orElse(null);
            if (state != null && state.serviceManager() != null) {
                kind = ServiceManagerKind.valueOf(state.serviceManager().toUpperCase(Locale.ROOT));
            }
        }
        ServiceManager chosen = ServiceManagers.select(kind, layout.root());
        boolean relocated = layout.root().getParent() != null;
        if (chosen.kind() == ServiceManagerKind.SYSTEMD && relocated) {
            // systemctl acts on the real host, outside --root (SPEC section 1: nothing outside it). auto runs the agent
            // of a relocated root as a process; asked for systemd by name, the command is refused before it starts.
            if (kind == ServiceManagerKind.AUTO) {
                return ServiceManagers.select(ServiceManagerKind.PROCESS, layout.root());
            }
            throw FerryException.usage("--service-manager systemd drives this host's own systemd, outside --root "
                    + layout.root() + ": use --service-manager process or none with a relocated --root");
        }
        return chosen;
    }

    /**
     * What a transaction starts from. The service manager is picked by the transaction, under the host lock, once it
     * knows the agent: {@code auto} reads the state the agent was installed with.
     */
    HostSetup setup(Duration selfTestTimeout) {
        refuseSystemdOutsideRoot();
        return new HostSetup(layout, clock, this::serviceManager, connectivity(selfTestTimeout));
    }

    Connectivity connectivity(Duration timeout) {
        SelfTests tests = new SelfTests(clock, Resolver.system());
        return (profile, paths) -> SelfTestPlans.of(profile, paths, timeout)
                .map(tests::run)
                .orElseGet(() ->
                        new CheckReport(List.of(Check.skip("platform", "the profile names no platform endpoint", 0))));
    }

    ClockProbe clockProbe() {
        ClockCheck check = new ClockCheck();
        return (profile, paths) -> SelfTestPlans.forClock(profile, paths)
                .map(plan -> check.run(plan, clock))
                .orElseGet(() -> Check.warn(
                        "clock",
                        null,
                        "no NTP server and no platform endpoint to compare the clock with",
                        "check the host clock by hand (timedatectl)",
                        0));
    }

    Preflight preflight(ServiceManager service) {
        return new Preflight(clock, HostFacts.current(), clockProbe(), service, revokedTokens());
    }

    /** {@code --trust} files, every {@code *.pub.pem} of trust.d, and the packaged installer's embedded keys. */
    TrustedKeys trust(List<Path> trustFiles) {
        List<Path> dirs = new ArrayList<>();
        dirs.add(layout.trustDir());
        String embedded = System.getProperty(EMBEDDED_TRUST_PROPERTY);
        if (embedded != null && !embedded.isBlank()) {
            dirs.add(Path.of(embedded));
        }
        TrustedKeys keys = TrustedKeys.load(trustFiles, dirs);
        if (keys.isEmpty()) {
            throw FerryException.verification(
                    "no trusted public key: pass --trust PUB or put *.pub.pem files in " + layout.trustDir());
        }
        return keys;
    }

    HostTrust hostTrust() {
        return new HostTrust(layout.trustChainDir());
    }

    /** The trust chain a packaged installer embeds ({@code bundler kit --trust-chain}), or null. */
    private static Path embeddedChain() {
        String embedded = System.getProperty(EMBEDDED_TRUST_PROPERTY);
        return embedded == null || embedded.isBlank() ? null : Path.of(embedded).resolve("chain");
    }

    /** Token ids the pinned chain revokes; none where no chain is pinned (or it cannot be read: verify says why). */
    Set<String> revokedTokens() {
        try {
            return hostTrust()
                    .load()
                    .map(chain -> chain.current().revokedTokens())
                    .orElse(Set.of());
        } catch (FerryException e) {
            return Set.of();
        }
    }

    /**
     * The one verifier: under the pinned trust chain when there is one (SPEC section 10), else v1's flat set of keys.
     *
     * @param keepCarried install and reinstall keep the newer trust documents a bundle carries; verify only judges
     */
    BundleVerifier verifier(List<Path> trustFiles, boolean keepCarried) {
        HostTrust store = hostTrust();
        Optional<TrustChain> chain =
                store.adoptEmbedded(embeddedChain(), keepCarried).or(store::load);
        if (chain.isEmpty()) {
            return new BundleVerifier(trust(trustFiles), clock);
        }
        if (!trustFiles.isEmpty()) {
            throw FerryException.usage("--trust is not used here: this host pins a trust chain (version "
                    + chain.get().version() + ", " + store.dir() + ") and bundles need its release keys; drop --trust");
        }
        return new BundleVerifier(
                keepCarried
                        ? new ReleaseThreshold(chain.get(), clock, store::keep)
                        : ReleaseThreshold.inMemory(chain.get(), clock),
                clock);
    }

    /** @param progress told how far verifying (and so installing) the bundle has come */
    Bundles bundles(List<Path> trustFiles, Progress progress) {
        // --trust files are the caller's input: a missing or unreadable one is refused before the lock is taken. The
        // verifier itself is made where it is used, under the host lock: trust.d and the pinned chain are host state.
        TrustedKeys.load(trustFiles, List.of());
        ManifestWarmUp.startInBackground();
        return bundle -> verifier(trustFiles, true).open(bundle, progress);
    }

    /** The agent a command acts on: {@code --name}, else the only one known under the root; empty if none. */
    Optional<HostPaths> agent() {
        if (options.name != null) {
            return Optional.of(layout.agent(options.name));
        }
        List<String> known = layout.knownAgents();
        if (known.size() > 1) {
            throw FerryException.usage("several agents are installed under " + layout.root() + " ("
                    + String.join(", ", known) + "): choose one with --name");
        }
        return known.stream().findFirst().map(layout::agent);
    }

    HostPaths requireAgent() {
        return agent().orElseThrow(() -> FerryException.usage("nothing is installed under " + layout.root()));
    }
}
