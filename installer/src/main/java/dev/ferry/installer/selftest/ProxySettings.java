package dev.ferry.installer.selftest;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;

/**
 * The profile's HTTP proxy. The password stays in its file and is read only when a connection is made, so it never
 * sits in this record, its {@code toString} or any evidence.
 *
 * @param url          {@code http://host:port}
 * @param username     nullable: no credentials
 * @param passwordFile nullable: no password
 * @param noProxy      hosts reached directly: {@code .corp.example} (the domain and its subdomains), exact names,
 *                     IP literals, CIDRs such as {@code 10.0.0.0/8}, or {@code *}
 */
public record ProxySettings(URI url, String username, Path passwordFile, List<String> noProxy) {
    public ProxySettings {
        noProxy = noProxy == null ? List.of() : List.copyOf(noProxy);
    }

    public String host() {
        return url.getHost();
    }

    public int port() {
        return url.getPort() > 0 ? url.getPort() : 3128;
    }

    /** {@code host:port}, for evidence. */
    public String address() {
        return host() + ":" + port();
    }
}
