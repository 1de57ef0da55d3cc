package dev.ferry.installer.testpeers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** A real tinyproxy on loopback with Basic credentials, allowing CONNECT only to the ports given. */
public final class Tinyproxy extends PeerProcess {
    public static final Path BINARY = Path.of("/usr/bin/tinyproxy");
    private final int port;

    private Tinyproxy(List<String> command, Path log, int port) {
        super(command, log, port);
        this.port = port;
    }

    public static boolean available() {
        return Files.isExecutable(BINARY);
    }

    public static Tinyproxy start(Path dir, String user, String password, List<Integer> connectPorts) {
        return startRetrying(port -> start(dir, user, password, connectPorts, port));
    }

    private static Tinyproxy start(Path dir, String user, String password, List<Integer> connectPorts, int port) {
        StringBuilder conf = new StringBuilder()
                .append("Port ")
                .append(port)
                .append('\n')
                .append("Listen 127.0.0.1\n")
                .append("Timeout 30\n")
                .append("MaxClients 50\n")
                .append("Allow 127.0.0.1\n")
                .append("LogLevel Info\n")
                .append("BasicAuth ")
                .append(user)
                .append(' ')
                .append(password)
                .append('\n');
        connectPorts.forEach(p -> conf.append("ConnectPort ").append(p).append('\n'));
        try {
            Path file = Files.writeString(dir.resolve("tinyproxy.conf"), conf);
            return new Tinyproxy(
                    List.of(BINARY.toString(), "-d", "-c", file.toString()), dir.resolve("tinyproxy.log"), port);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return port;
    }
}
