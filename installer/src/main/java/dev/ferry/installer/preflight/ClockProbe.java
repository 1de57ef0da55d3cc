package dev.ferry.installer.preflight;

import dev.ferry.installer.check.Check;
import dev.ferry.installer.host.HostPaths;
import dev.ferry.profiles.Profile;

/**
 * The {@code clock} preflight check: skew against the profile's NTP servers (SNTP), else the platform's HTTP
 * {@code Date} header, else a warning. A seam: the self-test module's {@code ClockCheck} does the network part.
 */
@FunctionalInterface
public interface ClockProbe {
    /** {@code paths} names the agent's installed files: its platform CA, once installed, verifies the Date header. */
    Check check(Profile profile, HostPaths paths);
}
