package dev.ferry.installer.selftest;

import java.net.URI;
import java.util.Locale;

/** An http(s) or ws(s) URL as the probes need it: secure or not, the peer, the Host header and the request path. */
record WebAddress(URI uri, boolean secure, Peer peer) {
    static WebAddress of(URI uri) {
        String scheme = uri.getScheme() == null ? "https" : uri.getScheme().toLowerCase(Locale.ROOT);
        boolean secure = scheme.equals("https") || scheme.equals("wss");
        int port = uri.getPort() > 0 ? uri.getPort() : secure ? 443 : 80;
        return new WebAddress(uri, secure, Peer.platform(NoProxy.bare(uri.getHost()), port));
    }

    String hostHeader() {
        int defaultPort = secure ? 443 : 80;
        String host = peer.host().indexOf(':') >= 0 ? "[" + peer.host() + "]" : peer.host();
        return peer.port() == defaultPort ? host : host + ":" + peer.port();
    }

    /** The endpoint's path with {@code suffix} appended ({@code /v1} + {@code /health}), never empty. */
    String path(String suffix) {
        String base = uri.getRawPath() == null ? "" : uri.getRawPath();
        if (base.endsWith("/") && suffix.startsWith("/")) {
            base = base.substring(0, base.length() - 1);
        } else if (!base.endsWith("/") && !suffix.isEmpty() && !suffix.startsWith("/")) {
            base = base + "/";
        }
        String path = base + suffix;
        if (path.isEmpty()) {
            path = "/";
        }
        return uri.getRawQuery() == null || !suffix.isEmpty() ? path : path + "?" + uri.getRawQuery();
    }

    String url(String path) {
        return uri.getScheme() + "://" + hostHeader() + path;
    }
}
