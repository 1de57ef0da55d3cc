package dev.ferry.installer.preflight;

import dev.ferry.bundle.Manifest;
import dev.ferry.bundle.TokenInfo;
import dev.ferry.installer.host.HostPaths;
import dev.ferry.installer.host.InstallState;
import dev.ferry.profiles.Profile;

/**
 * What preflight checks against.
 *
 * @param profile the profile to satisfy: the bundle's, or the installed one
 * @param bundle the manifest of the bundle about to be installed, null for a preflight of the installed release
 * @param paths the agent's host paths
 * @param state the installed state, null when nothing was ever installed
 * @param token the token window to check: the bundle's, or the one in use
 * @param allowDowngrade {@code --allow-downgrade}
 */
public record PreflightInput(
        Profile profile,
        Manifest bundle,
        HostPaths paths,
        InstallState state,
        TokenInfo token,
        boolean allowDowngrade) {}
