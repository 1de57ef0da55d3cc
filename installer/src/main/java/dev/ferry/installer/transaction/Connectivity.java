package dev.ferry.installer.transaction;

import dev.ferry.installer.check.CheckReport;
import dev.ferry.installer.host.HostPaths;
import dev.ferry.profiles.Profile;

/**
 * The connectivity self-tests of SPEC section 6 (step 7 of the transaction, and {@code installer selftest}).
 * A seam: the self-test module's {@code SelfTests} does the network part; {@code paths} gives the installed
 * CA file ({@link HostPaths#platformCaFile()}) and proxy password ({@link HostPaths#proxyPasswordFile()}).
 */
@FunctionalInterface
public interface Connectivity {
    CheckReport selfTest(Profile profile, HostPaths paths);
}
