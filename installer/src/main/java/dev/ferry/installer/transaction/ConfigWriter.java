package dev.ferry.installer.transaction;

import dev.ferry.installer.host.AtomicFiles;
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
        Files.createDirectories(paths.configDir());
        AtomicFiles.setMode(paths.configDir(), "0750");
        for (Map.Entry<String, byte[]> f : config.files().entrySet()) {
            AtomicFiles.write(paths.configDir().resolve(f.getKey()), f.getValue(), "0640");
        }
        Path ca = releaseDir.resolve("config/platform-ca.pem");
        if (Files.isRegularFile(ca)) {
            AtomicFiles.write(paths.platformCaFile(), Files.readAllBytes(ca), "0644");
        }
        if (replaceToken) {
            moveSecret(releaseDir.resolve("secrets/token"), paths.tokenFile());
        }
        moveSecret(releaseDir.resolve("secrets/proxy-password"), paths.proxyPasswordFile());
        Trees.delete(releaseDir.resolve("secrets"));
        if (profile.proxy() != null && profile.proxy().url() != null) {
            AtomicFiles.write(paths.proxyEnvFile(), proxyEnv(profile.proxy()).getBytes(StandardCharsets.UTF_8), "0640");
        } else {
            Files.deleteIfExists(paths.proxyEnvFile());
        }
    }

    /** HTTPS_PROXY and NO_PROXY for the agent's environment; credentials, if any, stay in their own files. */
    static String proxyEnv(Profile.Proxy proxy) {
        StringBuilder s = new StringBuilder("HTTPS_PROXY=").append(withoutUserInfo(proxy.url())).append('\n');
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
            // Secrets are a few bytes; write via the atomic path so the file is 0600 from its first byte.
            AtomicFiles.write(to, Files.readAllBytes(from), "0600");
            Files.delete(from);
        }
    }

    /** Copies the config folder aside before a transaction rewrites it; returns whether there was one. */
    static boolean backup(HostPaths paths) throws IOException {
        Trees.delete(paths.configBackup());
        Files.createDirectories(paths.txnDir());
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
