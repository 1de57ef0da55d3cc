package dev.ferry.standin;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * A local stand-in of the agent platform for the demo and the tests: HTTPS on loopback only, with its own throwaway
 * CA. It serves {@code GET /health}, the agent's {@code POST /v1/checkin} and the {@code GET /agent} WebSocket
 * channel, and stops by itself (stdin closed, SIGTERM, or {@code --max-seconds}).
 */
@Command(
        name = "standin",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "A local stand-in of the agent platform: HTTPS on 127.0.0.1 (or --listen ADDR) with its own CA.",
            "Serves GET /health, POST /v1/checkin (Authorization: Bearer TOKEN; JSON name, version, host) and the",
            "GET /agent WebSocket channel. Stops when its stdin closes, on SIGTERM, or after --max-seconds."
        })
public final class PlatformStandIn implements Callable<Integer> {
    @Option(
            names = "--port",
            paramLabel = "N",
            defaultValue = "0",
            description = "Port on the listen address; 0 picks a free one. Default: 0.")
    int port;

    @Option(
            names = "--listen",
            paramLabel = "ADDR",
            description =
                    "Listen on this local IP address instead of 127.0.0.1"
                            + " (e.g. a veth address that test network namespaces route to); the server certificate names it too.")
    String listen;

    @Option(
            names = "--port-file",
            paramLabel = "FILE",
            description = "Write the port here once serving (the sign that it is ready).")
    Path portFile;

    @Option(
            names = "--ca-out",
            paramLabel = "FILE",
            description = "Write the CA certificate (PEM) here, for clients to trust.")
    Path caOut;

    @Option(
            names = "--record",
            paramLabel = "FILE",
            description = "Append each check-in here as one JSON line (never the token).")
    Path record;

    @Option(
            names = "--expect-token",
            paramLabel = "FILE",
            description = "Accept only the token in FILE; by default any bearer token.")
    Path expectToken;

    @Option(
            names = "--max-seconds",
            paramLabel = "N",
            defaultValue = "600",
            description = "Stop after N seconds at the latest. Default: 600.")
    long maxSeconds;

    private final PrintStream log;

    PlatformStandIn(PrintStream log) {
        this.log = log;
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new PlatformStandIn(System.err)).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (maxSeconds <= 0) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--max-seconds must be positive");
        }
        Clock clock = Clock.systemUTC();
        String token = expectToken == null
                ? null
                : Files.readString(expectToken, StandardCharsets.UTF_8).strip();
        Lifetime lifetime = new Lifetime().watching(System.in);
        InetAddress address = listen == null ? InetAddress.getLoopbackAddress() : literalAddress(listen);
        StandInCertificates certificates = StandInCertificates.generate(clock, address);
        try (StandInServer server =
                StandInServer.start(certificates.serverContext(), address, port, clock, record, token, log)) {
            // On SIGTERM the JVM halts once the hooks are done, maybe before main prints: the hook says it itself.
            AtomicBoolean announced = new AtomicBoolean();
            Runtime.getRuntime()
                    .addShutdownHook(new Thread(
                            () -> {
                                lifetime.end("terminated");
                                closeQuietly(server);
                                announceStop(announced, "terminated");
                            },
                            "standin-shutdown"));
            if (caOut != null) {
                writeAtomically(caOut, certificates.caPem());
            }
            // The port file comes last: whoever waits for it may use everything else at once.
            if (portFile != null) {
                writeAtomically(portFile, server.port() + "\n");
            }
            log.println("standin: serving https://" + (listen == null ? "localhost" : listen) + ":" + server.port()
                    + (listen == null ? " (loopback only)" : "")
                    + (caOut == null ? "" : ", CA in " + caOut));
            announceStop(announced, lifetime.await(Duration.ofSeconds(maxSeconds)));
        }
        return 0;
    }

    /** Only a literal address: a name would need a resolver, and the stand-in must never listen anywhere unexpected. */
    private InetAddress literalAddress(String text) {
        if (!text.matches("[0-9.]+|[0-9a-fA-F:]+")) {
            throw new CommandLine.ParameterException(
                    new CommandLine(this), "--listen takes an IP address, not '" + text + "'");
        }
        try {
            return InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            throw new CommandLine.ParameterException(
                    new CommandLine(this), "--listen: not an IP address: '" + text + "'");
        }
    }

    /**
     * Synchronized so that the shutdown hook, when main is already printing, waits for that line to be out: the JVM
     * halts as soon as the hook returns, which could cut main's line off.
     */
    private synchronized void announceStop(AtomicBoolean announced, String why) {
        if (announced.compareAndSet(false, true)) {
            log.println("standin: stopping (" + why + ")");
            log.flush();
        }
    }

    private static void writeAtomically(Path file, String text) throws IOException {
        Path absolute = file.toAbsolutePath();
        Path temp = absolute.resolveSibling("." + absolute.getFileName() + ".tmp");
        Files.writeString(temp, text, StandardCharsets.UTF_8);
        Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void closeQuietly(StandInServer server) {
        try {
            server.close();
        } catch (IOException e) {
            // Stopping anyway.
        }
    }
}
