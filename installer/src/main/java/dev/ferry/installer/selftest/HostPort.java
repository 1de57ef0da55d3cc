package dev.ferry.installer.selftest;

/** {@code host}, {@code host:port} or {@code [v6]:port}. */
record HostPort(String host, int port) {
    static HostPort parse(String value, int defaultPort) {
        String v = value.trim();
        if (v.startsWith("[")) {
            int close = v.indexOf(']');
            String host = v.substring(1, close);
            return new HostPort(host, v.length() > close + 2 ? Integer.parseInt(v.substring(close + 2)) : defaultPort);
        }
        int colon = v.lastIndexOf(':');
        if (colon > 0 && v.indexOf(':') == colon) {
            return new HostPort(v.substring(0, colon), Integer.parseInt(v.substring(colon + 1)));
        }
        return new HostPort(v, defaultPort);
    }

    @Override
    public String toString() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
