package dev.ferry.installer.service;

import dev.ferry.installer.check.Check;

/** {@code --service-manager none}: the files are installed, the agent is neither registered nor started. */
public final class NoneServiceManager implements ServiceManager {
    @Override
    public ServiceManagerKind kind() {
        return ServiceManagerKind.NONE;
    }

    @Override
    public Check check() {
        return Check.pass("service-manager", "no service manager: the agent is not started", 0);
    }

    @Override
    public void install(ServiceSpec spec) {
        // Nothing to register.
    }

    @Override
    public void restart(ServiceSpec spec) {
        // Nothing is started.
    }

    @Override
    public void stop(ServiceSpec spec) {
        // Nothing runs.
    }

    /** Nothing was registered, so there is no service to report on. */
    @Override
    public ServiceState state(ServiceSpec spec) {
        return ServiceState.NOT_INSTALLED;
    }

    @Override
    public void uninstall(ServiceSpec spec) {
        // Nothing to remove.
    }
}
