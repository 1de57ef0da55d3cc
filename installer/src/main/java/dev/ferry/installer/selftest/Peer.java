package dev.ferry.installer.selftest;

/**
 * A host and port a probe talks to, and in which role, so failures can name the right fix: the platform is opened
 * outbound on the firewall or reached through the proxy; a target is an internal system; the proxy is the first hop.
 */
record Peer(Role role, String name, String host, int port) {
    enum Role {
        PLATFORM,
        TARGET,
        PROXY
    }

    static Peer platform(String host, int port) {
        return new Peer(Role.PLATFORM, "platform", host, port);
    }

    static Peer target(TargetSpec t) {
        return new Peer(Role.TARGET, t.name(), t.host(), t.port());
    }

    static Peer proxy(ProxySettings p) {
        return new Peer(Role.PROXY, "proxy", p.host(), p.port());
    }

    String address() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
