package dev.ferry.installer.selftest;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Name resolution, a seam so tests can map names to loopback. */
@FunctionalInterface
public interface Resolver {
    InetAddress[] resolve(String host) throws UnknownHostException;

    /** The host's resolver (hosts file, DNS) through {@link InetAddress}. */
    static Resolver system() {
        return InetAddress::getAllByName;
    }
}
