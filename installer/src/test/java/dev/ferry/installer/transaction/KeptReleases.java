package dev.ferry.installer.transaction;

import dev.ferry.bundle.Manifest;
import dev.ferry.bundle.ManifestCodec;
import dev.ferry.installer.host.HostPaths;
import dev.ferry.installer.host.InstallState;
import dev.ferry.installer.host.InstallState.ReleaseRecord;
import dev.ferry.profiles.Profile;
import dev.ferry.profiles.ProfileJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/** Releases of agent "bot" laid out on a host as a finished install leaves them, for transaction tests. */
final class KeptReleases {
    static final Instant T = Instant.parse("2026-11-22T10:00:00Z");

    private KeptReleases() {}

    /** releases/NAME with a runtime/agent file holding {@code content} and its manifest; config and data folders. */
    static void release(HostPaths paths, String name, String content) throws Exception {
        Path dir = paths.release(name);
        Files.createDirectories(dir.resolve("runtime"));
        Files.writeString(dir.resolve("runtime/agent"), content);
        Profile profile = new Profile(
                "p",
                new Profile.Agent("bot", "1.0", "payload/runtime/", List.of("{{installDir}}/runtime/agent")),
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null);
        Manifest m = new Manifest(
                Manifest.FORMAT,
                "bot",
                "1.0",
                1,
                T,
                T.plusSeconds(86_400),
                ProfileJson.toJson(profile),
                null,
                List.of());
        Files.write(dir.resolve("manifest.json"), ManifestCodec.encode(m));
        Files.createDirectories(paths.configDir());
        Files.createDirectories(paths.dataDir());
    }

    /** state.json's record of release "VERSION-SEQUENCE". */
    static ReleaseRecord record(String release) {
        return new ReleaseRecord(
                release,
                release.substring(0, release.indexOf('-')),
                Long.parseLong(release.substring(release.indexOf('-') + 1)),
                "p",
                "h",
                List.of(),
                T.plusSeconds(86_400),
                T);
    }

    static InstallState installed(String release) {
        return InstallState.empty("bot").committed(record(release), null, null, "none", null);
    }
}
