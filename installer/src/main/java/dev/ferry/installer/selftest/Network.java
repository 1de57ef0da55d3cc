package dev.ferry.installer.selftest;

import dev.ferry.installer.check.Cause;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Arrays;
import java.util.Base64;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;

/**
 * Opening connections the way the agent will: resolve with the {@link Resolver}, connect within the check's
 * deadline, tunnel through the proxy with {@code CONNECT} when the plan says so, and wrap in TLS with the plan's
 * trust. Every failure comes out as a classified {@link ProbeFailure}.
 */
final class Network {
    private final Resolver resolver;
    private final TrustMaterial trust;
    private final Clock clock;
    private final boolean checksCertificates;
    private volatile ProbeFailure distrusted;

    /** {@code clock} says which certificate of a rejected chain is out of date, in the evidence. */
    Network(Resolver resolver, TrustMaterial trust, Clock clock) {
        this(resolver, trust, clock, true);
    }

    private Network(Resolver resolver, TrustMaterial trust, Clock clock, boolean checksCertificates) {
        this.resolver = resolver;
        this.trust = trust;
        this.clock = clock;
        this.checksCertificates = checksCertificates;
    }

    /**
     * For reading a server's clock only: a handshake completes whether or not the certificate is trusted, and
     * {@link #distrusted()} says what a checked handshake would have refused. Send nothing secret over it.
     */
    static Network forClockReading(Resolver resolver, TrustMaterial trust, Clock clock) {
        return new Network(resolver, trust, clock, false);
    }

    /** The refusal a checked handshake would have met, on a network {@link #forClockReading}; else null. */
    ProbeFailure distrusted() {
        return distrusted;
    }

    InetAddress[] resolve(Peer peer, Deadline deadline) throws ProbeFailure {
        deadline.step(
                Stage.DNS,
                "resolving " + peer.host(),
                "check that the DNS resolver (/etc/resolv.conf) answers for " + peer.host()
                        + ", or add a hosts entry for it");
        try {
            InetAddress[] all = resolver.resolve(NoProxy.bare(peer.host()));
            if (all == null || all.length == 0) {
                throw new UnknownHostException(peer.host() + ": no addresses");
            }
            return all;
        } catch (UnknownHostException e) {
            throw Failures.unresolvable(peer, e);
        }
    }

    /** A plain TCP connection straight to the peer. */
    Socket direct(Peer peer, Deadline deadline) throws ProbeFailure {
        InetAddress[] addresses = resolve(peer, deadline);
        deadline.step(Stage.TCP, "a TCP connection to " + peer.address(), Failures.openPort(peer));
        IOException last = null;
        for (InetAddress address : addresses) {
            Socket socket = deadline.track(new Socket());
            try {
                socket.connect(new InetSocketAddress(address, peer.port()), deadline.remainingMillis());
                socket.setSoTimeout(deadline.remainingMillis());
                return socket;
            } catch (IOException e) {
                closeQuietly(socket);
                last = e;
                if (e instanceof SocketTimeoutException) {
                    break; // the deadline is spent; trying the next address would overrun it
                }
            }
        }
        throw Failures.connect(peer, last, deadline);
    }

    /** Whether the platform host {@code host} is reached through the proxy. */
    static boolean proxied(ProxySettings proxy, String host) {
        return proxy != null && !NoProxy.matches(proxy.noProxy(), host);
    }

    /** A TCP stream to a platform host: through the proxy tunnel, or direct when there is none or noProxy says so. */
    Socket platform(Peer peer, ProxySettings proxy, Deadline deadline) throws ProbeFailure {
        if (!proxied(proxy, peer.host())) {
            return direct(peer, deadline);
        }
        Peer first = Peer.proxy(proxy);
        Socket socket = direct(first, deadline);
        tunnel(socket, proxy, peer, deadline);
        return socket;
    }

    /** Sends {@code CONNECT} on an open proxy connection; returns the credentials' user for evidence, or null. */
    String tunnel(Socket socket, ProxySettings proxy, Peer peer, Deadline deadline) throws ProbeFailure {
        Peer first = Peer.proxy(proxy);
        StringBuilder request = new StringBuilder()
                .append("CONNECT ")
                .append(peer.address())
                .append(" HTTP/1.1\r\n")
                .append("Host: ")
                .append(peer.address())
                .append("\r\n");
        String user = proxy.username();
        if (user != null && !user.isEmpty()) {
            String credentials = user + ":" + password(proxy);
            request.append("Proxy-Authorization: Basic ")
                    .append(Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)))
                    .append("\r\n");
        }
        request.append("\r\n");
        deadline.step(
                Stage.PROXY,
                "an answer from the proxy " + first.address() + " to CONNECT " + peer.address(),
                "check that " + first.address() + " is an HTTP proxy; it accepts connections but does not answer");
        HttpHead head;
        try {
            HttpHead.send(socket.getOutputStream(), request.toString());
            head = HttpHead.read(socket.getInputStream());
        } catch (HttpHead.NotHttp e) {
            throw Failures.garbage(first, Stage.PROXY, "an HTTP proxy answer", e.seen);
        } catch (IOException e) {
            throw Failures.reading(first, Stage.PROXY, "an answer to CONNECT", e, deadline);
        }
        String as = user == null || user.isEmpty() ? " without credentials" : " as user '" + user + "'";
        // 407 is the standard answer; some proxies (tinyproxy) answer 401 to credentials they reject.
        if (head.status() == 407 || head.status() == 401) {
            throw new ProbeFailure(
                    Stage.PROXY,
                    Cause.PROXY_AUTH_REQUIRED,
                    "the proxy " + first.address() + " answered " + head.statusText() + " to CONNECT " + peer.address()
                            + as,
                    "set proxy.username and the proxy password file to credentials the proxy " + first.host()
                            + " accepts");
        }
        if (!head.is2xx()) {
            throw new ProbeFailure(
                    Stage.PROXY,
                    Cause.PROXY_REFUSED,
                    "the proxy " + first.address() + " answered " + head.statusText() + " to CONNECT " + peer.address()
                            + as,
                    "allow CONNECT to " + peer.address() + " on the proxy " + first.host()
                            + " (its ACL / allowed ports), or check proxy.url");
        }
        return user;
    }

    private static String password(ProxySettings proxy) throws ProbeFailure {
        if (proxy.passwordFile() == null) {
            return "";
        }
        try {
            return Files.readString(proxy.passwordFile(), StandardCharsets.UTF_8)
                    .strip();
        } catch (IOException e) {
            throw new ProbeFailure(
                    Stage.PROXY,
                    Cause.PROXY_AUTH_REQUIRED,
                    "cannot read the proxy password file " + proxy.passwordFile() + " ("
                            + e.getClass().getSimpleName() + ")",
                    "restore the proxy password file " + proxy.passwordFile() + ", readable by the installer");
        }
    }

    /** The result of a handshake: the socket and the chain the server presented. */
    record Tls(SSLSocket socket, X509Certificate[] chain) {
        String describe() {
            X509Certificate leaf = chain[0];
            return socket.getSession().getProtocol() + ", certificate " + ClassifyingTrustManager.subject(leaf)
                    + " issued by '" + leaf.getIssuerX500Principal().getName() + "', valid until "
                    + leaf.getNotAfter().toInstant();
        }
    }

    /** TLS over an open stream, checking the chain and the host name of {@code peer}. */
    Tls handshake(Socket raw, Peer peer, Deadline deadline) throws ProbeFailure {
        ClassifyingTrustManager tm =
                new ClassifyingTrustManager(trust.pkix(peer), peer, trust, clock, checksCertificates);
        deadline.step(
                Stage.TLS,
                "the TLS handshake with " + peer.address(),
                "check that " + peer.address() + " serves TLS; an inspection device may be holding the handshake");
        SSLSocket ssl;
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {tm}, null);
            ssl = deadline.track((SSLSocket)
                    context.getSocketFactory().createSocket(raw, NoProxy.bare(peer.host()), peer.port(), true));
            SSLParameters params = ssl.getSSLParameters();
            params.setEndpointIdentificationAlgorithm("HTTPS");
            ssl.setSSLParameters(params);
            ssl.setSoTimeout(deadline.remainingMillis());
        } catch (GeneralSecurityException | IOException e) {
            throw new ProbeFailure(
                    Stage.TLS,
                    Cause.PROTOCOL,
                    "cannot set up TLS: " + Failures.message(e),
                    "check the Java runtime's TLS configuration");
        }
        try {
            ssl.startHandshake();
            if (tm.verdict() != null) {
                distrusted = tm.verdict();
            }
            return new Tls(
                    ssl,
                    ssl.getSession().getPeerCertificates().length == 0
                            ? new X509Certificate[0]
                            : Arrays.stream(ssl.getSession().getPeerCertificates())
                                    .map(X509Certificate.class::cast)
                                    .toArray(X509Certificate[]::new));
        } catch (SocketTimeoutException e) {
            throw Failures.stuck(peer, Stage.TLS, "TLS handshake", deadline);
        } catch (SSLException e) {
            if (tm.verdict() != null) {
                throw tm.verdict();
            }
            throw new ProbeFailure(
                    Stage.TLS,
                    Cause.PROTOCOL,
                    "TLS handshake with " + peer.address() + " failed: " + Failures.message(e),
                    "check that " + peer.address() + " serves TLS (not plain HTTP or another protocol); a proxy "
                            + "or inspection device may be answering in its place");
        } catch (IOException e) {
            throw Failures.reading(peer, Stage.TLS, "a TLS handshake", e, deadline);
        }
    }

    static String addresses(InetAddress[] all) {
        return Arrays.stream(all).map(InetAddress::getHostAddress).collect(Collectors.joining(", "));
    }

    static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing left to do with a socket that will not close
        }
    }
}
