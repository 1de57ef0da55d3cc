package dev.ferry.installer.transaction;

import dev.ferry.installer.service.ServiceSpec;
import dev.ferry.profiles.Profile;

/**
 * Step 7 of a change: the service to (re)start and the profile its self-tests read.
 *
 * @param keepOnSelftestFailure commit even when the self-tests fail (exit 5), instead of putting everything back (7)
 */
public record ServiceRun(ServiceSpec spec, Profile profile, boolean skipSelftest, boolean keepOnSelftestFailure) {}
