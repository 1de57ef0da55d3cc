package dev.ferry.installer.selftest;

import dev.ferry.installer.check.Cause;
import dev.ferry.installer.check.Check;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/** The checks of the platform, each one a function of its deadline: dns, tcp, proxy, tls, health, websocket. */
final class PlatformChecks {
    private static final String WEBSOCKET_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    private final SelfTestPlan plan;
    private final Network network;
    private final WebAddress endpoint;
    private final ProxySettings proxy;

    PlatformChecks(SelfTestPlan plan, Network network) {
        this.plan = plan;
        this.network = network;
        this.endpoint = WebAddress.of(plan.endpoint());
        this.proxy = plan.proxy();
    }

    private boolean proxied(Peer peer) {
        return Network.proxied(proxy, peer.host());
    }

    /** The host this machine must resolve itself: the proxy's when the platform is reached through it. */
    Check dns(Deadline d) {
        Peer peer = endpoint.peer();
        try {
            if (proxied(peer)) {
                Peer first = Peer.proxy(proxy);
                InetAddress[] all = network.resolve(first, d);
                return Check.pass(
                        "dns",
                        "the proxy host " + first.host() + " resolves to " + Network.addresses(all) + "; " + peer.host()
                                + " is resolved by the proxy",
                        0);
            }
            if (NoProxy.isIpLiteral(peer.host())) {
                return Check.pass("dns", peer.host() + " is an IP address: nothing to resolve", 0);
            }
            return Check.pass("dns", peer.host() + " resolves to " + Network.addresses(network.resolve(peer, d)), 0);
        } catch (ProbeFailure f) {
            return Outcomes.failed("dns", Stage.DNS, f);
        }
    }

    /** The first hop opens: the platform's port, or the proxy's when the platform is reached through it. */
    Check tcp(Deadline d) {
        Peer peer = endpoint.peer();
        Peer first = proxied(peer) ? Peer.proxy(proxy) : peer;
        try (Socket socket = network.direct(first, d)) {
            String via = first == peer ? "" : " (the proxy; " + peer.address() + " is reached through it)";
            return Check.pass(
                    "tcp",
                    first.address() + " opens" + via + ", from "
                            + socket.getLocalAddress().getHostAddress(),
                    0);
        } catch (ProbeFailure f) {
            return Outcomes.failed("tcp", Stage.TCP, f);
        } catch (IOException e) {
            return Check.pass("tcp", first.address() + " opens", 0);
        }
    }

    Check proxy(Deadline d) {
        Peer peer = endpoint.peer();
        if (proxy == null) {
            return Check.skip("proxy", "no proxy configured: the platform is reached directly", 0);
        }
        if (!proxied(peer)) {
            return Check.skip(
                    "proxy", peer.host() + " matches noProxy: reached directly, not through " + proxy.address(), 0);
        }
        try (Socket socket = network.direct(Peer.proxy(proxy), d)) {
            String user = network.tunnel(socket, proxy, peer, d);
            return Check.pass(
                    "proxy",
                    "the proxy " + proxy.address() + " accepted CONNECT " + peer.address()
                            + (user == null || user.isEmpty() ? " without credentials" : " as user '" + user + "'"),
                    0);
        } catch (ProbeFailure f) {
            return Outcomes.failed("proxy", Stage.PROXY, f);
        } catch (IOException e) {
            return Check.pass("proxy", "the proxy " + proxy.address() + " accepted CONNECT " + peer.address(), 0);
        }
    }

    Check tls(Deadline d) {
        if (!endpoint.secure()) {
            return Check.skip("tls", plan.endpoint() + " is plain http: no TLS to check", 0);
        }
        Peer peer = endpoint.peer();
        Socket socket = null;
        try {
            socket = network.platform(peer, proxy, d);
            Network.Tls tls = network.handshake(socket, peer, d);
            return Check.pass("tls", peer.address() + ": " + tls.describe(), 0);
        } catch (ProbeFailure f) {
            return Outcomes.failed("tls", Stage.TLS, f);
        } finally {
            if (socket != null) {
                Network.closeQuietly(socket);
            }
        }
    }

    Check health(Deadline d) {
        String path = endpoint.path(plan.healthPath());
        String url = endpoint.url(path);
        try {
            HttpHead head = HttpGet.get(network, proxy, endpoint, path, d);
            if (head.is2xx()) {
                return Check.pass("health", "GET " + url + " answered " + head.statusText(), 0);
            }
            return Check.fail(
                    "health",
                    Cause.HTTP_STATUS,
                    "GET " + url + " answered " + head.statusText() + " (2xx expected)",
                    head.status() == 404
                            ? "check platform.endpoint and platform.healthPath: " + path + " does not exist there"
                            : "the platform answers but is not healthy (" + head.status() + "): check the platform's "
                                    + "status, or whether a proxy or gateway in the path answers instead of it",
                    0);
        } catch (ProbeFailure f) {
            return Outcomes.failed("health", Stage.HTTP, f);
        }
    }

    Check websocket(Deadline d) {
        if (plan.websocket() == null) {
            return Check.skip("websocket", "no platform.websocket configured", 0);
        }
        WebAddress ws = WebAddress.of(plan.websocket());
        Peer peer = ws.peer();
        String path = ws.path("");
        Socket socket = null;
        try {
            socket = network.platform(peer, proxy, d);
            Socket stream = ws.secure() ? network.handshake(socket, peer, d).socket() : socket;
            String key = newKey();
            d.step(
                    Stage.WEBSOCKET,
                    "an answer to the WebSocket upgrade of " + plan.websocket(),
                    "check that " + peer.address() + " serves the WebSocket channel; it accepts connections but does "
                            + "not answer");
            HttpHead head;
            try {
                HttpHead.send(
                        stream.getOutputStream(),
                        "GET " + path + " HTTP/1.1\r\n"
                                + "Host: " + ws.hostHeader() + "\r\n"
                                + "Upgrade: websocket\r\n"
                                + "Connection: Upgrade\r\n"
                                + "Sec-WebSocket-Key: " + key + "\r\n"
                                + "Sec-WebSocket-Version: 13\r\n"
                                + "User-Agent: ferry-installer-selftest\r\n\r\n");
                head = HttpHead.read(stream.getInputStream());
            } catch (HttpHead.NotHttp e) {
                throw Failures.garbage(peer, Stage.WEBSOCKET, "an HTTP upgrade answer", e.seen);
            } catch (IOException e) {
                throw Failures.reading(peer, Stage.WEBSOCKET, "an answer to the WebSocket upgrade", e, d);
            }
            if (head.status() != 101) {
                return Check.fail(
                        "websocket",
                        Cause.HTTP_STATUS,
                        "the upgrade to " + plan.websocket() + " answered " + head.statusText() + " (101 expected)",
                        "check platform.websocket, and that proxies and gateways on the way allow WebSocket "
                                + "upgrades to " + peer.host(),
                        0);
            }
            String accept = head.header("Sec-WebSocket-Accept");
            if (!acceptFor(key).equals(accept)) {
                return Check.fail(
                        "websocket",
                        Cause.PROTOCOL,
                        "the upgrade to " + plan.websocket() + " answered 101 with a wrong Sec-WebSocket-Accept '"
                                + (accept == null ? "" : Failures.printable(accept)) + "'",
                        "something between this host and " + peer.host() + " answers the upgrade in the "
                                + "platform's place: check proxies and inspection devices on the way",
                        0);
            }
            return Check.pass(
                    "websocket",
                    "the upgrade to " + plan.websocket()
                            + " answered 101 Switching Protocols with a valid Sec-WebSocket-Accept",
                    0);
        } catch (ProbeFailure f) {
            return Outcomes.failed("websocket", Stage.WEBSOCKET, f);
        } finally {
            if (socket != null) {
                Network.closeQuietly(socket);
            }
        }
    }

    private static String newKey() {
        byte[] nonce = new byte[16];
        new SecureRandom().nextBytes(nonce);
        return Base64.getEncoder().encodeToString(nonce);
    }

    static String acceptFor(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1")
                    .digest((key + WEBSOCKET_GUID).getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is required of every Java runtime", e);
        }
    }
}
