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
import dev.ferry.installer.host.HostLock;
import dev.ferry.installer.host.HostPaths;
import dev.ferry.installer.host.LayoutGuard;
import dev.ferry.installer.host.InstallState;
import dev.ferry.installer.host.InstallState.Pending;
import dev.ferry.installer.host.InstallState.Phase;
import dev.ferry.installer.host.InstallState.TokenRecord;
import dev.ferry.installer.host.ReleaseManifest;
import dev.ferry.installer.host.StateStore;
import dev.ferry.installer.preflight.WindowChecks;
import dev.ferry.installer.service.ServiceSpec;
import dev.ferry.profiles.Profile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code register}: swap in a new token, restart, re-test; the old token comes back if the self-test fails (exit 7).
 * The token's window is checked first, before the lock, so a refused token changes nothing at all.
 */
public final class Registration {
    private static final int MAX_TOKEN_BYTES = 64 * 1024;
    private final HostContext ctx;

    public Registration(HostContext ctx) {
        this.ctx = ctx;
    }

    public Outcome run(RegisterRequest req, HostPaths paths) {
        long started = System.nanoTime();
        byte[] token = readToken(req.tokenFile());
        TokenInfo facts = facts(req, new String(token, StandardCharsets.UTF_8));
        Check window = WindowChecks.tokenWindow(facts, ctx.clock().instant());
        if (window.result() == Result.FAIL) {
            throw FerryException.validity(req.tokenFile() + ": " + window.evidence() + "; nothing changed. Fix: " + window.remedy());
        }

        try (HostLock lock = HostLock.acquire(ctx.layout().lockFile())) {
            CrashPoints.reached(CrashPoints.LOCKED);
            LayoutGuard.check(paths);
            List<String> notes = new ArrayList<>(Recovery.recoverAll(ctx));
            InstallState state = StateStore.read(paths).filter(s -> s.current() != null)
                    .orElseThrow(() -> FerryException.usage(paths.name() + " is not installed under " + ctx.layout().root()
                            + ": install a bundle first"));
            Path release = paths.release(state.current().release());
            Profile profile = ReleaseManifest.profile(ReleaseManifest.read(release));
            ServiceSpec spec = ServiceSpecs.of(profile, paths, RenderedConfig.render(profile, release, paths).exec());
            Pending pending = new Pending("register", Phase.CONFIGURING, ctx.clock().instant(), null,
                    state.current().release(), false, state.current().release(), null, false, false, spec.name());
            try {
                pending = pending.withConfigBackup(ConfigWriter.backup(paths));
                StateStore.write(paths, state.withPending(pending));
                CrashPoints.reached(CrashPoints.CONFIG_BACKED_UP);
                AtomicWriter.write(paths.tokenFile(), token, FileMode.SECRET);
                CrashPoints.reached(CrashPoints.CONFIG_WRITTEN);
                ctx.service().restart(spec);
                CrashPoints.reached(CrashPoints.RESTARTED);
                SelfTestRun test = SelfTestRun.of(ctx, profile, paths, req.skipSelftest());
                if (!test.passed()) {
                    Undo.run(ctx, paths, pending);
                    // The host's last self-test is the one that just failed, though the old state is back.
                    Undo.clearPending(paths, state.withSelfTest(test.record(ctx.clock().instant())));
                    return log(paths, state, ExitCode.ROLLED_BACK, "rolled-back", "self-tests failed with the new token ("
                            + test.failedIds() + "); the previous token is back and the agent restarted with it", test, notes, started);
                }
                CrashPoints.reached(CrashPoints.SELFTEST_PASSED);
                TokenRecord record = new TokenRecord(facts.id(), facts.notBefore(), facts.notAfter(), "register", ctx.clock().instant());
                StateStore.write(paths, state.withToken(record).withSelfTest(test.record(ctx.clock().instant())).withPending(null));
                CrashPoints.reached(CrashPoints.COMMITTED);
                Undo.cleanTxn(paths);
                return log(paths, state, ExitCode.OK, "registered", "registered token" + (facts.id() == null ? "" : " " + facts.id())
                        + ", valid until " + facts.notAfter() + (test.skipped() ? "; self-tests skipped (--skip-selftest)" : ""),
                        test, notes, started);
            } catch (RuntimeException | IOException e) {
                throw Undo.afterFailure(ctx, paths, pending, state, e, "register failed", "the previous token is back",
                        InstallTransaction.message(e));
            }
        }
    }

    private Outcome log(HostPaths paths, InstallState state, ExitCode exit, String result, String message, SelfTestRun test,
            List<String> notes, long started) {
        InstallLog.append(paths, new InstallLog.Line(ctx.clock().instant(), "register", paths.name(), state.current().version(),
                state.current().sequence(), null, null, result, exit.code(), (System.nanoTime() - started) / 1_000_000, message, notes));
        return new Outcome(exit, "register", result, paths.name(), state.current().version(), state.current().sequence(), message,
                null, test.report(), notes);
    }

    private TokenInfo facts(RegisterRequest req, String token) {
        String source = req.tokenFile().toString();
        return TokenFacts.fromJwt(token, source, null).map(jwt -> {
            if (req.notBefore() != null || req.notAfter() != null) {
                throw FerryException.usage(source + ": the token is a JWT and carries its own window; drop --not-before/--not-after");
            }
            return jwt;
        }).orElseGet(() -> {
            if (req.notAfter() == null) {
                throw FerryException.usage(source + ": the token is not a JWT, so its validity is unknown: give it with --not-after"
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
