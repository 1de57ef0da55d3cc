package dev.ferry.installer.status;

import dev.ferry.installer.host.HostPaths;
import dev.ferry.installer.host.InstallState;
import dev.ferry.installer.host.ReleaseManifest;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Which kept releases a delta bundle could be applied over (SPEC section 11): the current and the previous release,
 * each with the SHA-256 of its kept manifest (what a delta's {@code base.manifestSha256} must be) and whether it is
 * intact (no drift: every reused file would check out).
 */
final class DeltaBases {
    private DeltaBases() {}

    static List<StatusReport.DeltaBaseStatus> of(HostPaths paths, InstallState state, List<String> currentDrift) {
        List<StatusReport.DeltaBaseStatus> bases = new ArrayList<>();
        add(bases, paths, state.current(), currentDrift);
        add(bases, paths, state.previous(), null);
        return bases;
    }

    private static void add(
            List<StatusReport.DeltaBaseStatus> bases,
            HostPaths paths,
            InstallState.ReleaseRecord record,
            List<String> knownDrift) {
        if (record == null) {
            return;
        }
        Path dir = paths.release(record.release());
        Path manifest = dir.resolve(ReleaseManifest.FILE);
        if (!Files.isRegularFile(manifest, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        List<String> drift;
        try {
            drift = knownDrift != null ? knownDrift : Drift.of(dir, ReleaseManifest.read(dir));
        } catch (RuntimeException e) {
            drift = List.of(ReleaseManifest.FILE); // a kept manifest that does not decode: not a base for anything
        }
        bases.add(new StatusReport.DeltaBaseStatus(record.release(), Drift.sha256(manifest), drift.isEmpty()));
    }
}
