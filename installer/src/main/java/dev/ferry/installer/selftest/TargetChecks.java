package dev.ferry.installer.selftest;

import dev.ferry.installer.check.Cause;
import dev.ferry.installer.check.Check;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/** One check per {@code targets} entry, probed directly (never through the proxy): tcp, tls or ssh. */
final class TargetChecks {
    private static final int MAX_BANNER_LINES = 20;
    private static final int MAX_LINE = 255; // RFC 4253 section 4.2
    private static final int PRE_BANNER_GRACE_MS = 1000;

    private final Network network;

    TargetChecks(Network network) {
        this.network = network;
    }

    Check check(TargetSpec target, Deadline d) {
        String id = target.checkId();
        Peer peer = Peer.target(target);
        return switch (target.probe()) {
            case "tcp" -> tcp(id, peer, d);
            case "tls" -> tls(id, peer, d);
            case "ssh" -> ssh(id, peer, d);
            default ->
                Check.fail(
                        id,
                        Cause.PROTOCOL,
                        "unknown probe '" + target.probe() + "' for " + peer.address(),
                        "set probe to tcp, tls or ssh for target " + target.name() + " in the profile",
                        0);
        };
    }

    private Check tcp(String id, Peer peer, Deadline d) {
        try (Socket socket = network.direct(peer, d)) {
            return Check.pass(id, peer.address() + " opens", 0);
        } catch (ProbeFailure f) {
            return Outcomes.failed(id, Stage.TCP, f);
        } catch (IOException e) {
            return Check.pass(id, peer.address() + " opens", 0);
        }
    }

    private Check tls(String id, Peer peer, Deadline d) {
        Socket socket = null;
        try {
            socket = network.direct(peer, d);
            return Check.pass(
                    id,
                    peer.address() + ": " + network.handshake(socket, peer, d).describe(),
                    0);
        } catch (ProbeFailure f) {
            return Outcomes.failed(id, Stage.TLS, f);
        } finally {
            if (socket != null) {
                Network.closeQuietly(socket);
            }
        }
    }

    private Check ssh(String id, Peer peer, Deadline d) {
        try (Socket socket = network.direct(peer, d)) {
            d.step(
                    Stage.SSH,
                    "the SSH banner of " + peer.address(),
                    "check that " + peer.address() + " is an SSH server; it accepts connections but sends nothing");
            String banner = banner(socket, peer);
            return Check.pass(id, peer.address() + " answered " + Failures.printable(banner), 0);
        } catch (ProbeFailure f) {
            return Outcomes.failed(id, Stage.SSH, f);
        } catch (IOException e) {
            return Outcomes.failed(id, Stage.SSH, Failures.reading(peer, Stage.SSH, "SSH banner", e, d));
        }
    }

    /** The server's identification line; RFC 4253 lets a server send other lines before it. */
    private static String banner(Socket socket, Peer peer) throws IOException, ProbeFailure {
        InputStream in = socket.getInputStream();
        String first = null;
        for (int i = 0; i < MAX_BANNER_LINES; i++) {
            String line;
            try {
                line = line(in);
            } catch (SocketTimeoutException e) {
                if (first == null) {
                    throw e;
                }
                break; // text that was not followed by a banner: another protocol
            }
            if (line == null) {
                if (first == null) {
                    throw new EOFException("closed without a banner");
                }
                break;
            }
            if (first == null) {
                first = line;
                // Pre-banner lines are allowed but rare: after one, a banner that does not follow soon never will.
                socket.setSoTimeout(Math.min(socket.getSoTimeout(), PRE_BANNER_GRACE_MS));
            }
            if (line.startsWith("SSH-2.0-") || line.startsWith("SSH-1.99-")) {
                return line;
            }
            if (line.startsWith("SSH-")) {
                throw new ProbeFailure(
                        Stage.SSH,
                        Cause.PROTOCOL,
                        peer.address() + " speaks an SSH version the agent cannot use: '" + Failures.printable(line)
                                + "'",
                        "upgrade the SSH server on " + peer.host() + " to SSH 2");
            }
        }
        throw Failures.garbage(peer, Stage.SSH, "an SSH-2.0 banner", first == null ? "" : first);
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != '\n') {
            if (b < 0) {
                return buf.size() == 0 ? null : buf.toString(StandardCharsets.ISO_8859_1);
            }
            if (buf.size() >= MAX_LINE) {
                break;
            }
            buf.write(b);
        }
        String s = buf.toString(StandardCharsets.ISO_8859_1);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }
}
