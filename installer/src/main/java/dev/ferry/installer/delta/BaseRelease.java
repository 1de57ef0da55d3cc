package dev.ferry.installer.delta;

import dev.ferry.bundle.BundleLayout;
import dev.ferry.bundle.DeltaBase;
import dev.ferry.bundle.FileEntry;
import dev.ferry.bundle.Manifest;
import dev.ferry.common.ExitCode;
import dev.ferry.common.FerryException;
import dev.ferry.installer.check.Cause;
import dev.ferry.installer.check.Check;
import dev.ferry.installer.host.HostPaths;
import dev.ferry.installer.host.InstallState;
import dev.ferry.installer.host.InstallState.ReleaseRecord;
import dev.ferry.installer.host.ReleaseManifest;
import dev.ferry.installer.host.Releases;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * The installed release a delta bundle is built on (SPEC section 11): the current or the previous kept release whose
 * name is the delta's base and whose kept {@code manifest.json} has exactly the SHA-256 the delta names. Found
 * cheaply: the state, one small file hashed, a stat per reused file. The reused files' bytes are checked as they
 * are copied ({@link DeltaComposer}).
 */
public final class BaseRelease {
    /** The preflight check's id: {@code installer preflight --bundle DELTA} says whether the delta can apply. */
    public static final String CHECK = "delta-base";

    static final String REMEDY = "carry the full bundle, or reinstall the base release from its full bundle first"
            + " (installer reinstall --bundle FULL)";

    private sealed interface Lookup permits Found, Missing {}

    /** The base release's name ({@code VERSION-SEQUENCE}) and folder. */
    public record Found(String release, Path dir) implements Lookup {}

    /** Why the base is not usable: one line of evidence, and what to do. */
    private record Missing(String evidence, String remedy) implements Lookup {}

    private BaseRelease() {}

    /** The preflight check: skipped for a full bundle; for a delta, passes only when its base is here and intact. */
    public static Check check(Manifest bundle, HostPaths paths, InstallState state) {
        if (bundle == null || !bundle.isDelta()) {
            return Check.skip(CHECK, "not a delta bundle", 0);
        }
        long reused = bundle.files().stream().filter(FileEntry::fromBase).count();
        Lookup lookup = locate(bundle, paths, state);
        if (lookup instanceof Missing missing) {
            return Check.fail(CHECK, Cause.DELTA_BASE, missing.evidence(), missing.remedy(), 0);
        }
        return Check.pass(
                CHECK,
                "delta of " + describe(bundle.base()) + ": installed as " + ((Found) lookup).release() + ", its "
                        + reused + " reused files present",
                0);
    }

    /** The base of {@code delta}, or exit 4 naming the base and the remedy (nothing has changed yet). */
    public static Found require(Manifest delta, HostPaths paths, InstallState state) {
        Lookup lookup = locate(delta, paths, state);
        if (lookup instanceof Missing missing) {
            throw new FerryException(ExitCode.PREFLIGHT, missing.evidence() + ": " + missing.remedy());
        }
        return (Found) lookup;
    }

    private static Lookup locate(Manifest delta, HostPaths paths, InstallState state) {
        DeltaBase base = delta.base();
        String release = Releases.name(base.version(), base.sequence());
        ReleaseRecord kept = state == null
                ? null
                : Stream.of(state.current(), state.previous())
                        .filter(Objects::nonNull)
                        .filter(r -> r.release().equals(release))
                        .findFirst()
                        .orElse(null);
        String what = "a delta of " + describe(base);
        if (kept == null || !Files.isDirectory(paths.release(release), LinkOption.NOFOLLOW_LINKS)) {
            String installed = state == null || state.current() == null
                    ? "nothing is installed"
                    : "installed: " + state.current().release()
                            + (state.previous() == null
                                    ? ""
                                    : ", kept: " + state.previous().release());
            return new Missing(what + ", which is not installed here (" + installed + ")", "carry the full bundle");
        }
        Path dir = paths.release(release);
        String manifestSha256 = sha256(dir.resolve(ReleaseManifest.FILE));
        if (!base.manifestSha256().equals(manifestSha256)) {
            return new Missing(
                    what + ", but the release " + release + " installed here is a different build (its manifest"
                            + " sha256 is "
                            + (manifestSha256 == null ? "unreadable" : manifestSha256.substring(0, 16) + "...") + ")",
                    "carry the full bundle");
        }
        for (FileEntry file : delta.files()) {
            if (!file.fromBase()) {
                continue;
            }
            Path source = dir.resolve(file.path().substring(BundleLayout.PAYLOAD.length()));
            if (!Files.isRegularFile(source, LinkOption.NOFOLLOW_LINKS) || size(source) != file.size()) {
                return new Missing(
                        what + ": its file " + file.path().substring(BundleLayout.PAYLOAD.length()) + " in release "
                                + release + " is missing or damaged",
                        REMEDY);
            }
        }
        return new Found(release, dir);
    }

    static String describe(DeltaBase base) {
        return base.name() + " " + base.version() + " (sequence " + base.sequence() + ")";
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return -1;
        }
    }

    /** SHA-256 of a small file, or null when it cannot be read. */
    private static String sha256(Path file) {
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            return null;
        }
        try (DigestInputStream in =
                new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(in.getMessageDigest().digest());
        } catch (IOException e) {
            return null;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
