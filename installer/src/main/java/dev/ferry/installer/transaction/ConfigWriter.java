package dev.ferry.installer.transaction;

import dev.ferry.common.files.AtomicWriter;
import dev.ferry.common.files.FileMode;
import dev.ferry.installer.host.HostPaths;
import dev.ferry.installer.host.Trees;
import dev.ferry.profiles.Profile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Writes the agent's config folder (step 5): rendered config (0640), the platform CA (0644), and from the staged
 * release's {@code secrets/} the token and proxy password (0600), then {@code proxy.env} without the password.
 * The secrets are moved out of the release, so no release folder ever holds a copy of a token.
 */
final class ConfigWriter {
    private ConfigWriter() {}

    /** @param replaceToken false keeps the installed token (one that {@code register} put there and that outlives the bundle's) */
    static void write(HostPaths paths, Profile profile, RenderedConfig config, Path releaseDir, boolean replaceToken)
            throws IOException {
        AtomicWriter.createFolders(paths.configDir().getParent(), FileMode.FOLDER);
        AtomicWriter.createFolder(paths.configDir(), FileMode.GROUP_FOLDER);
        AtomicWriter.setMode(paths.configDir(), FileMode.GROUP_FOLDER);
        for (Map.Entry<String, byte[]> f : config.files().entrySet()) {
            AtomicWriter.write(paths.configDir().resolve(f.getKey()), f.getValue(), FileMode.GROUP_READABLE);
        }
        Path ca = releaseDir.resolve("config/platform-ca.pem");
        if (Files.isRegularFile(ca)) {
            AtomicWriter.write(paths.platformCaFile(), Files.readAllBytes(ca), FileMode.READABLE);
        }
        if (replaceToken) {
            moveSecret(releaseDir.resolve("secrets/token"), paths.tokenFile());
        }
        moveSecret(releaseDir.resolve("secrets/proxy-password"), paths.proxyPasswordFile());
        Trees.delete(releaseDir.resolve("secrets"));
        // A staged release is 0700 while it holds secrets; it opens to the agent's account only once none is left.
        AtomicWriter.setMode(releaseDir, FileMode.FOLDER);
        if (profile.proxy() != null && profile.proxy().url() != null) {
            AtomicWriter.write(
                    paths.proxyEnvFile(),
                    proxyEnv(profile.proxy()).getBytes(StandardCharsets.UTF_8),
                    FileMode.GROUP_READABLE);
        } else {
            Files.deleteIfExists(paths.proxyEnvFile());
        }
    }

    /** HTTPS_PROXY and NO_PROXY for the agent's environment; credentials, if any, stay in their own files. */
    static String proxyEnv(Profile.Proxy proxy) {
        StringBuilder s = new StringBuilder("HTTPS_PROXY=")
                .append(withoutUserInfo(proxy.url()))
                .append('\n');
        if (proxy.noProxy() != null && !proxy.noProxy().isEmpty()) {
            s.append("NO_PROXY=").append(String.join(",", proxy.noProxy())).append('\n');
        }
        return s.toString();
    }

    private static String withoutUserInfo(String url) {
        return url.replaceFirst("^([a-zA-Z][a-zA-Z0-9+.-]*://)[^/@]*@", "$1");
    }

    private static void moveSecret(Path from, Path to) throws IOException {
        if (Files.isRegularFile(from)) {
            // Secrets are a few bytes; the one writer creates the file 0600 before its first byte.
            AtomicWriter.write(to, Files.readAllBytes(from), FileMode.SECRET);
            Files.delete(from);
        }
    }

    /** Copies the config folder aside before a transaction rewrites it; returns whether there was one. */
    static boolean backup(HostPaths paths) throws IOException {
        Trees.delete(paths.configBackup());
        // The backup holds the token: its folder is created 0700, whatever the umask.
        AtomicWriter.createFolders(paths.dataDir(), FileMode.FOLDER);
        AtomicWriter.createFolder(paths.txnDir(), FileMode.PRIVATE_FOLDER);
        AtomicWriter.setMode(paths.txnDir(), FileMode.PRIVATE_FOLDER);
        if (!Files.isDirectory(paths.configDir())) {
            return false;
        }
        Trees.copy(paths.configDir(), paths.configBackup());
        return true;
    }

    /** Puts the backed-up config folder back exactly (or removes the folder if there was none before). */
    static void restore(HostPaths paths, boolean existed) throws IOException {
        if (existed && !Files.isDirectory(paths.configBackup())) {
            return; // the backup never completed, so the config was never touched
        }
        Trees.delete(paths.configDir());
        if (existed) {
            Trees.copy(paths.configBackup(), paths.configDir());
        }
    }
}
