package dev.ferry.installer.transaction;

import dev.ferry.bundle.TokenFacts;
import dev.ferry.bundle.TokenInfo;
import dev.ferry.common.BoundedInput;
import dev.ferry.common.ExitCode;
import dev.ferry.common.FerryException;
import dev.ferry.common.files.AtomicWriter;
import dev.ferry.common.files.FileMode;
import dev.ferry.installer.check.Check;
import dev.ferry.installer.check.Result;
import dev.ferry.installer.host.HostPaths;
import dev.ferry.installer.host.InstallState;
import dev.ferry.installer.host.InstallState.Pending;
import dev.ferry.installer.host.InstallState.ReleaseRecord;
import dev.ferry.installer.host.InstallState.TokenRecord;
import dev.ferry.installer.host.ReleaseManifest;
import dev.ferry.installer.host.StateStore;
import dev.ferry.installer.preflight.WindowChecks;
import dev.ferry.installer.transaction.HostTransaction.Finish;
import dev.ferry.installer.transaction.HostTransaction.Frame;
import dev.ferry.installer.transaction.HostTransaction.Next;
import dev.ferry.installer.transaction.HostTransaction.Subject;
import dev.ferry.profiles.Profile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * {@code register}: swap in a new token, restart, re-test; the old token comes back if the self-test fails (exit 7).
 * The token's window is checked first, before the lock, so a refused token changes nothing at all. The frame is
 * {@link HostTransaction}'s.
 */
public final class Registration {
    private static final int MAX_TOKEN_BYTES = 64 * 1024;
    private final HostSetup setup;

    public Registration(HostSetup setup) {
        this.setup = setup;
    }

    public Outcome run(RegisterRequest req, HostPaths paths) {
        byte[] token = readToken(req.tokenFile());
        TokenInfo facts = facts(req, new String(token, StandardCharsets.UTF_8));
        Check window = WindowChecks.tokenWindow(facts, setup.clock().instant());
        if (window.result() == Result.FAIL) {
            throw FerryException.validity(
                    req.tokenFile() + ": " + window.evidence() + "; nothing changed. Fix: " + window.remedy());
        }
        return new HostTransaction(setup).run(new Steps(req, paths, token, facts));
    }

    /** The agent's state, which must have a release installed. */
    static InstallState requireInstalled(HostPaths paths, String otherwise) {
        return StateStore.read(paths)
                .filter(s -> s.current() != null)
                .orElseThrow(() -> FerryException.usage(
                        paths.name() + " is not installed under " + paths.root() + ": " + otherwise));
    }

    private final class Steps extends HostTransaction.Change {
        private final RegisterRequest req;
        private final HostPaths paths;
        private final byte[] token;
        private final TokenInfo facts;
        private ReleaseRecord current;
        private Profile profile;
        private RenderedConfig config;

        Steps(RegisterRequest req, HostPaths paths, byte[] token, TokenInfo facts) {
            super("register", "register failed", "the previous token is back");
            this.req = req;
            this.paths = paths;
            this.token = token;
            this.facts = facts;
        }

        @Override
        protected HostPaths agent() {
            return paths;
        }

        @Override
        protected InstallState state(HostPaths agent) {
            return requireInstalled(agent, "install a bundle first");
        }

        @Override
        protected Next start(Frame f) {
            current = f.state().current();
            Path release = paths.release(current.release());
            profile = ReleaseManifest.profile(ReleaseManifest.read(release));
            config = RenderedConfig.render(profile, release, paths);
            return this;
        }

        @Override
        protected Pending pending() {
            return Pending.configuring(
                    action,
                    setup.clock().instant(),
                    current.release(),
                    current.release(),
                    ServiceSpecs.serviceName(profile, paths));
        }

        @Override
        protected void configure() throws IOException {
            AtomicWriter.write(paths.tokenFile(), token, FileMode.SECRET);
        }

        /** The unit does not change with the token: only the restart. */
        @Override
        protected boolean registersService() {
            return false;
        }

        @Override
        protected ServiceRun service() {
            return new ServiceRun(
                    ServiceSpecs.of(profile, paths, config.exec()),
                    profile,
                    req.selfTests().skips(),
                    false);
        }

        @Override
        protected InstallState committed(InstallState before, SelfTestRun test) {
            var now = setup.clock().instant();
            return before.withToken(new TokenRecord(facts.id(), facts.notBefore(), facts.notAfter(), "register", now))
                    .withSelfTest(test.record(now))
                    .withPending(null);
        }

        @Override
        protected Finish done(SelfTestRun test) {
            return Finish.of(
                    ExitCode.OK,
                    "registered",
                    "registered token" + (facts.id() == null ? "" : " " + facts.id()) + ", valid until "
                            + facts.notAfter() + (test.skipped() ? "; self-tests skipped (--skip-selftest)" : ""));
        }

        @Override
        protected String rolledBack(SelfTestRun test) {
            return "self-tests failed with the new token (" + test.failedIds()
                    + "); the previous token is back and the agent" + " restarted with it";
        }

        @Override
        protected Subject subject() {
            return current == null
                    ? new Subject(paths.name(), null, null, null, null)
                    : new Subject(paths.name(), current.version(), current.sequence(), null, null);
        }
    }

    private TokenInfo facts(RegisterRequest req, String token) {
        String source = req.tokenFile().toString();
        return TokenFacts.fromJwt(token, source, null)
                .map(jwt -> {
                    if (req.notBefore() != null || req.notAfter() != null) {
                        throw FerryException.usage(source
                                + ": the token is a JWT and carries its own window; drop --not-before/--not-after");
                    }
                    return jwt;
                })
                .orElseGet(() -> {
                    if (req.notAfter() == null) {
                        throw FerryException.usage(source
                                + ": the token is not a JWT, so its validity is unknown: give it with --not-after"
                                + " (and --not-before) as the platform states it");
                    }
                    return new TokenInfo(null, req.notBefore(), req.notAfter(), null);
                });
    }

    private static byte[] readToken(Path file) {
        byte[] bytes = BoundedInput.read(file, MAX_TOKEN_BYTES, "token");
        if (new String(bytes, StandardCharsets.UTF_8).isBlank()) {
            throw FerryException.usage(file + ": the token file is empty");
        }
        return bytes;
    }
}
