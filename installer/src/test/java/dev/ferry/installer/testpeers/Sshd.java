package dev.ferry.installer.testpeers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real OpenSSH server on a loopback port with a host key generated for the test. sshd insists on its privilege
 * separation folder (/run/sshd), which the package's service would create; as root the test creates it if absent.
 */
public final class Sshd extends PeerProcess {
    public static final Path BINARY = Path.of("/usr/sbin/sshd");
    private static final Path PRIVSEP = Path.of("/run/sshd");
    private final int port;

    private Sshd(List<String> command, Path log, int port) {
        super(command, log, port);
        this.port = port;
    }

    /** Whether a real sshd can run here: installed, ssh-keygen present, and root (or the privsep folder exists). */
    public static boolean canRun() {
        boolean root = "root".equals(System.getProperty("user.name"));
        return Files.isExecutable(BINARY)
                && Files.isExecutable(Path.of("/usr/bin/ssh-keygen"))
                && (Files.isDirectory(PRIVSEP) || root);
    }

    public static Sshd start(Path dir) {
        try {
            if (!Files.isDirectory(PRIVSEP)) {
                Files.createDirectories(PRIVSEP);
            }
            Path hostKey = dir.resolve("ssh_host_ed25519_key");
            Process keygen = new ProcessBuilder(
                            "/usr/bin/ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", hostKey.toString())
                    .redirectErrorStream(true)
                    .start();
            if (!keygen.waitFor(30, TimeUnit.SECONDS) || keygen.exitValue() != 0) {
                throw new IllegalStateException("ssh-keygen failed");
            }
            Path conf = Files.writeString(
                    dir.resolve("sshd_config"),
                    "ListenAddress 127.0.0.1\nPidFile none\nUsePAM no\nPasswordAuthentication no\n");
            return startRetrying(port -> new Sshd(
                    List.of(
                            BINARY.toString(),
                            "-D",
                            "-e",
                            "-f",
                            conf.toString(),
                            "-p",
                            String.valueOf(port),
                            "-h",
                            hostKey.toString()),
                    dir.resolve("sshd.log"),
                    port));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public int port() {
        return port;
    }
}
