package dev.ferry.installer.selftest;

import dev.ferry.installer.check.Cause;
import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Locale;

/** Turns the exceptions of resolving, connecting and reading into a classified cause with a remedy. */
final class Failures {
    private Failures() {}

    static ProbeFailure unresolvable(Peer peer, UnknownHostException e) {
        String what = peer.role() == Peer.Role.PROXY ? "the proxy host " + peer.host() : peer.host();
        return new ProbeFailure(
                Stage.DNS,
                Cause.DNS_FAILURE,
                what + " does not resolve (" + message(e) + ")",
                "check that the DNS resolver (/etc/resolv.conf) can resolve " + peer.host()
                        + ", or add a hosts entry for it");
    }

    /** A failed {@code connect()}. Connecting to the proxy is classified as proxy-refused unless it timed out. */
    static ProbeFailure connect(Peer peer, IOException e, Deadline deadline) {
        if (e instanceof UnknownHostException u) {
            return unresolvable(peer, u);
        }
        String message = message(e);
        String lower = message.toLowerCase(Locale.ROOT);
        if (e instanceof SocketTimeoutException) {
            return new ProbeFailure(
                    Stage.TCP,
                    Cause.TIMEOUT,
                    "no answer from " + peer.address() + " within " + deadline.seconds()
                            + " (a firewall drops the packets)",
                    openPort(peer));
        }
        if (peer.role() == Peer.Role.PROXY) {
            return new ProbeFailure(
                    Stage.TCP,
                    Cause.PROXY_REFUSED,
                    "cannot connect to the proxy " + peer.address() + ": " + message,
                    "check proxy.url in the profile and that the proxy at " + peer.address()
                            + " runs and is reachable from this host");
        }
        if (e instanceof NoRouteToHostException || lower.contains("unreachable") || lower.contains("no route")) {
            return new ProbeFailure(
                    Stage.TCP,
                    Cause.NO_ROUTE,
                    "no route to " + peer.address() + " (" + message + ")",
                    peer.role() == Peer.Role.PLATFORM
                            ? "add a route to " + peer.host()
                                    + " (default gateway) or reach it through a proxy (proxy.url)"
                            : "add a route from this host to " + peer.host() + " (" + peer.name() + ")");
        }
        if (e instanceof ConnectException && lower.contains("refused")) {
            return new ProbeFailure(
                    Stage.TCP,
                    Cause.REFUSED,
                    peer.address() + " refused the connection",
                    peer.role() == Peer.Role.PLATFORM
                            ? "open port " + peer.port() + " outbound to " + peer.host()
                                    + " (something rejects it) or check platform.endpoint"
                            : "check that " + peer.name() + " listens on " + peer.address()
                                    + " and that no firewall rejects it");
        }
        return new ProbeFailure(
                Stage.TCP, Cause.REFUSED, "cannot connect to " + peer.address() + ": " + message, openPort(peer));
    }

    /** A failure while waiting for or reading a protocol answer after the connection opened. */
    static ProbeFailure reading(Peer peer, Stage stage, String waitingFor, IOException e, Deadline deadline) {
        if (e instanceof SocketTimeoutException) {
            return stuck(peer, stage, waitingFor, deadline);
        }
        String detail = e instanceof EOFException ? "the connection was closed" : message(e);
        return new ProbeFailure(
                stage,
                Cause.PROTOCOL,
                peer.address() + " did not answer " + waitingFor + ": " + detail,
                wrongService(peer));
    }

    static ProbeFailure stuck(Peer peer, Stage stage, String waitingFor, Deadline deadline) {
        return new ProbeFailure(
                stage,
                Cause.TIMEOUT,
                peer.address() + " accepted the connection but sent no " + waitingFor + " within " + deadline.seconds(),
                "check that " + peer.address() + " is the right service; a firewall or inspection device may be "
                        + "holding the connection");
    }

    static ProbeFailure garbage(Peer peer, Stage stage, String expected, String seen) {
        return new ProbeFailure(
                stage,
                Cause.PROTOCOL,
                peer.address() + " answered something other than " + expected + ": '" + printable(seen) + "'",
                wrongService(peer));
    }

    static String openPort(Peer peer) {
        return switch (peer.role()) {
            case PLATFORM ->
                "open port " + peer.port() + " outbound to " + peer.host()
                        + " on the firewall, or reach it through a proxy (proxy.url)";
            case TARGET ->
                "open port " + peer.port() + " from this host to " + peer.host() + " (" + peer.name()
                        + ") on the firewall";
            case PROXY -> "open port " + peer.port() + " from this host to the proxy " + peer.host();
        };
    }

    private static String wrongService(Peer peer) {
        return "check that " + peer.address() + " is the right host and port for " + peer.name()
                + "; a proxy or inspection device may be answering in its place";
    }

    static String message(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }

    /** At most 80 characters of what a peer sent, with control bytes shown as dots. */
    static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && b.length() < 80; i++) {
            char c = s.charAt(i);
            b.append(c >= 0x20 && c < 0x7f ? c : '.');
        }
        return b.toString();
    }
}
