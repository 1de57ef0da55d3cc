package dev.ferry.installer.selftest;

import java.io.IOException;
import java.net.Socket;

/** One {@code GET} over a fresh connection (through the proxy when the plan says so), returning the response head. */
final class HttpGet {
    private HttpGet() {}

    static HttpHead get(Network network, ProxySettings proxy, WebAddress address, String path, Deadline deadline)
            throws ProbeFailure {
        Peer peer = address.peer();
        Socket socket = network.platform(peer, proxy, deadline);
        try {
            Socket stream =
                    address.secure() ? network.handshake(socket, peer, deadline).socket() : socket;
            deadline.step(
                    Stage.HTTP,
                    "an HTTP answer from " + peer.address() + " to GET " + path,
                    "check that " + peer.address() + " serves the platform API; it accepts connections but does "
                            + "not answer");
            try {
                HttpHead.send(
                        stream.getOutputStream(),
                        "GET " + path + " HTTP/1.1\r\n"
                                + "Host: " + address.hostHeader() + "\r\n"
                                + "User-Agent: ferry-installer-selftest\r\n"
                                + "Accept: */*\r\n"
                                + "Connection: close\r\n\r\n");
                return HttpHead.read(stream.getInputStream());
            } catch (HttpHead.NotHttp e) {
                throw Failures.garbage(peer, Stage.HTTP, "an HTTP response", e.seen);
            } catch (IOException e) {
                throw Failures.reading(peer, Stage.HTTP, "an HTTP response", e, deadline);
            }
        } finally {
            Network.closeQuietly(socket);
        }
    }
}
