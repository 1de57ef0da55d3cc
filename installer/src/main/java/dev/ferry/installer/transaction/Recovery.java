package dev.ferry.installer.transaction;

import dev.ferry.common.ExitCode;
import dev.ferry.common.FerryException;
import dev.ferry.installer.host.HostPaths;
import dev.ferry.installer.host.InstallState;
import dev.ferry.installer.host.LayoutGuard;
import dev.ferry.installer.host.Releases;
import dev.ferry.installer.host.StateStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Transaction step 2, run under the host lock before anything else: a transaction that a crash, a power cut or
 * {@code kill -9} interrupted is undone (it never reached its commit, so its self-test never passed), and the debris
 * of a run that died after its commit (staging, set-aside or pruned-to-be folders, the .txn backup) is cleared.
 * Returns one line per agent it touched, for stderr and install.log.
 */
public final class Recovery {
    private Recovery() {}

    public static List<String> recoverAll(HostContext ctx) {
        List<String> notes = new ArrayList<>();
        for (String name : ctx.layout().knownAgents()) {
            HostPaths paths = ctx.layout().agent(name);
            try {
                LayoutGuard.check(paths);
                recover(ctx, paths).ifPresent(notes::add);
            } catch (FerryException unsafeOrDamaged) {
                // Another agent's damaged state or unsafe folder must not block every command: leave it untouched,
                // say so; a command on that agent itself meets the same one-line refusal.
                notes.add("did not recover " + name + ": " + unsafeOrDamaged.getMessage());
            } catch (IOException e) {
                throw new UncheckedIOException("recovery of " + name + " failed", e);
            }
        }
        return notes;
    }

    static Optional<String> recover(HostContext ctx, HostPaths paths) throws IOException {
        InstallState state = StateStore.read(paths).orElse(null);
        if (state == null) {
            return Optional.empty();
        }
        InstallState.Pending p = state.pending();
        if (p == null) {
            finishCleanup(paths, state);
            clearTempFiles(paths);
            return Optional.empty();
        }
        long start = System.nanoTime();
        Undo.run(ctx, paths, p);
        CrashPoints.reached(CrashPoints.RECOVERY_UNDONE);
        Undo.clearPending(paths, state);
        clearTempFiles(paths);
        String note = "recovered " + paths.name() + ": undid an interrupted " + p.action() + " of "
                + p.releases().newRelease()
                + " (started " + p.startedAt() + ", reached " + p.phase().name().toLowerCase(Locale.ROOT) + "); "
                + (p.releases().previousRelease() == null
                        ? "nothing is installed, as before"
                        : p.releases().previousRelease() + " is current again");
        InstallLog.append(
                paths,
                new InstallLog.Line(
                        ctx.clock().instant(),
                        "recover",
                        paths.name(),
                        null,
                        null,
                        null,
                        null,
                        "undone",
                        ExitCode.OK.code(),
                        (System.nanoTime() - start) / 1_000_000,
                        note,
                        null));
        return Optional.of(note);
    }

    /**
     * A kill between creating and renaming an atomic write leaves its temporary file ({@code current.tmp-*} beside
     * the link, {@code .state.json.tmp-*} beside the state): never read, but debris in folders users look at.
     */
    private static void clearTempFiles(HostPaths paths) throws IOException {
        deleteMatching(paths.installBase(), HostPaths.CURRENT + ".tmp-");
        deleteMatching(paths.dataDir(), "." + HostPaths.STATE_FILE + ".tmp-");
    }

    private static void deleteMatching(Path dir, String prefix) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (DirectoryStream<Path> tmp = Files.newDirectoryStream(dir, prefix + "*")) {
            for (Path p : tmp) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Removes what a committed run had not yet cleaned: everything in releases/ but current and previous. */
    private static void finishCleanup(HostPaths paths, InstallState state) throws IOException {
        Set<String> keep = new HashSet<>();
        if (state.current() != null) {
            keep.add(state.current().release());
        }
        if (state.previous() != null) {
            keep.add(state.previous().release());
        }
        if (state.current() != null) {
            Releases.prune(paths, keep);
        }
        Undo.cleanTxn(paths);
    }
}
