package dev.ferry.installer.transaction;

import dev.ferry.installer.host.HostLayout;
import dev.ferry.installer.service.ServiceManager;
import java.time.Clock;

/**
 * What every host command works with: the layout under {@code --root}, the one clock for every time decision, the
 * service manager chosen by {@code --service-manager}, and the self-test seam.
 */
public record HostContext(HostLayout layout, Clock clock, ServiceManager service, Connectivity connectivity) {}
