package dev.ferry.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real systemd, booted in a container over this machine's own {@code /usr} (Debian's {@code systemd-container}):
 * {@code systemd-nspawn -D / --volatile=yes --boot}. The root is a fresh tmpfs, {@code /usr} is the machine's,
 * read-only; the network is the machine's, so a stand-in on loopback answers from inside. Folders are bound in at
 * the same path. Commands run inside with {@code nsenter} into all of its namespaces, with a clean environment.
 * {@link #close} always stops it (and kills it if it does not stop), so nothing is left running.
 *
 * <p>The machine name is unique per run: other test runs may boot theirs at the same time. systemd-nspawn wants
 * {@code /run/systemd/nspawn} on a tmpfs; where {@code /run} is not one, a tmpfs is mounted there once and left,
 * since a concurrent run may be using it.
 */
final class SystemdContainer implements AutoCloseable {
    static final Path IMAGE_INSIDE = Path.of("/opt/ferry-image");
    static final String PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static final Duration BOOT_TIMEOUT = Duration.ofSeconds(90);

    final String name;
    private final Process nspawn;
    private final Path console;
    private final long init;

    private SystemdContainer(String name, Process nspawn, Path console, long init) {
        this.name = name;
        this.nspawn = nspawn;
        this.console = console;
        this.init = init;
    }

    /**
     * Boots a container and waits until its systemd answers.
     *
     * @param work bound read-write at the same path (bundles, keys, output); its console log is written there
     * @param image bound read-only at {@link #IMAGE_INSIDE} (the installer image); null for none
     * @param more further systemd-nspawn options (e.g. {@code --overlay=/usr::/usr})
     */
    static SystemdContainer boot(Path work, Path image, String... more) throws IOException, InterruptedException {
        assertThat(Path.of("/usr/bin/systemd-nspawn"))
                .as("systemd-nspawn (./test.sh installs systemd-container)")
                .isExecutable();
        nspawnRunFolder();
        String name = "ferry-sd-" + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet();
        Path console = work.resolve(name + ".console.log");
        List<String> command = new ArrayList<>(List.of(
                "systemd-nspawn",
                "-D",
                "/",
                "--volatile=yes",
                "--register=no",
                "--keep-unit",
                "--machine=" + name,
                "--console=read-only",
                "--bind=" + work,
                // A volatile /etc starts empty; Debian's /usr/bin/awk and friends point into /etc/alternatives.
                "--bind-ro=/etc/alternatives"));
        if (image != null) {
            command.add("--bind-ro=" + image + ":" + IMAGE_INSIDE);
        }
        command.addAll(List.of(more));
        command.addAll(List.of("--boot", "systemd.firstboot=off"));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(console.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Process nspawn = builder.start();
        long init = waitForInit(nspawn, console);
        SystemdContainer container = new SystemdContainer(name, nspawn, console, init);
        try {
            container.waitUntilSystemdAnswers();
        } catch (AssertionError | RuntimeException e) {
            container.close();
            throw e;
        }
        return container;
    }

    /**
     * Runs one script as root in a throwaway copy of this machine's root, without booting it: {@code /etc},
     * {@code /usr} and {@code /var} are copy-on-write overlays over the machine's own (the upper layers live under
     * /var/tmp and go when the container ends), so even {@code dpkg -i} there never touches this machine's package
     * database.
     *
     * @param work bound read-write at the same path
     */
    static Programs.Run throwawayRoot(Path work, String script) throws IOException {
        assertThat(Path.of("/usr/bin/systemd-nspawn"))
                .as("systemd-nspawn (./test.sh installs systemd-container)")
                .isExecutable();
        nspawnRunFolder();
        String name = "ferry-root-" + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet();
        return Programs.run(
                Map.of(),
                "systemd-nspawn",
                "--quiet",
                "--pipe",
                "-D",
                "/",
                "--volatile=yes",
                "--register=no",
                "--keep-unit",
                "--machine=" + name,
                "--bind=" + work,
                "--overlay=/etc::/etc",
                "--overlay=/usr::/usr",
                "--overlay=/var::/var",
                "--setenv=PATH=" + PATH,
                "--chdir=/",
                "sh",
                "-c",
                script);
    }

    /**
     * The container's PID 1 as this machine sees it: the child of systemd-nspawn that has become systemd. nspawn
     * forks short-lived helpers too, and its child is called systemd-nspawn until it executes systemd.
     */
    private static long waitForInit(Process nspawn, Path console) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(BOOT_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (!nspawn.isAlive()) {
                throw new AssertionError(
                        "systemd-nspawn ended (exit " + nspawn.exitValue() + "):\n" + Files.readString(console));
            }
            Optional<ProcessHandle> init = nspawn.toHandle()
                    .children()
                    .filter(SystemdContainer::isSystemd)
                    .findFirst();
            if (init.isPresent()) {
                return init.get().pid();
            }
            Thread.sleep(50);
        }
        nspawn.destroyForcibly();
        throw new AssertionError("systemd-nspawn started no container within " + BOOT_TIMEOUT);
    }

    private static boolean isSystemd(ProcessHandle process) {
        try {
            return Files.readString(Path.of("/proc/" + process.pid() + "/comm"))
                    .strip()
                    .equals("systemd");
        } catch (IOException e) {
            return false; // it ended meanwhile
        }
    }

    /** {@code systemctl is-system-running} answers "running" or "degraded" (a unit of the machine's own failed). */
    private void waitUntilSystemdAnswers() throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(BOOT_TIMEOUT);
        String last = "";
        while (Instant.now().isBefore(deadline)) {
            last = exec("systemctl", "is-system-running").stdout().strip();
            if (last.equals("running") || last.equals("degraded")) {
                return;
            }
            assertThat(nspawn.isAlive())
                    .as("the container stopped while booting:\n" + Files.readString(console))
                    .isTrue();
            Thread.sleep(200);
        }
        throw new AssertionError(
                "systemd in " + name + " did not finish booting (" + last + "):\n" + Files.readString(console));
    }

    /** Mounts the tmpfs systemd-nspawn needs on /run/systemd/nspawn where /run is not a tmpfs (once, left mounted). */
    private static synchronized void nspawnRunFolder() throws IOException {
        Programs.Run runFs = Programs.run(Map.of(), "findmnt", "-n", "-o", "FSTYPE", "--target", "/run/systemd/nspawn");
        Files.createDirectories(Path.of("/run/systemd/nspawn"));
        if (runFs.stdout().strip().equals("tmpfs")) {
            return;
        }
        Programs.Run mount =
                Programs.run(Map.of(), "mount", "-t", "tmpfs", "-o", "mode=0755", "tmpfs", "/run/systemd/nspawn");
        assertThat(mount.exitCode())
                .as("mount a tmpfs on /run/systemd/nspawn: " + mount)
                .isZero();
    }

    /** Runs a command inside, in all of the container's namespaces, with only PATH and HOME set. */
    Programs.Run exec(String... command) {
        return exec(Map.of(), command);
    }

    Programs.Run exec(Map<String, String> env, String... command) {
        List<String> all = new ArrayList<>(List.of(
                "nsenter",
                "-t",
                String.valueOf(init),
                "-a",
                "env",
                "-i",
                "PATH=" + PATH,
                "HOME=/root",
                "LANG=C.UTF-8"));
        new TreeMap<>(env).forEach((k, v) -> all.add(k + "=" + v));
        all.addAll(List.of(command));
        return Programs.run(Map.of(), all.toArray(String[]::new));
    }

    /** {@code sh -c SCRIPT} inside. */
    Programs.Run sh(String script) {
        return exec("sh", "-c", script);
    }

    /** Runs a command inside and asserts it exits 0; returns its stdout. */
    String ok(String... command) {
        Programs.Run run = exec(command);
        assertThat(run.exitCode())
                .as(String.join(" ", command) + " in " + name + ":\n" + run)
                .isZero();
        return run.stdout();
    }

    /** The installer image (no Java on its path) inside, with {@code args}. */
    Programs.Run installer(String... args) {
        return installer(Map.of(), args);
    }

    Programs.Run installer(Map<String, String> env, String... args) {
        return exec(env, Programs.prepend(IMAGE_INSIDE.resolve("bin/installer").toString(), args));
    }

    /** One property of a unit, e.g. {@code ActiveState}. */
    String unitProperty(String unit, String property) {
        return exec("systemctl", "show", unit, "--property=" + property, "--value")
                .stdout()
                .strip();
    }

    /** Stops the container the way a shutdown would (SIGTERM to systemd-nspawn), or kills it after 30 s. */
    @Override
    public void close() throws InterruptedException {
        if (nspawn.isAlive()) {
            nspawn.destroy();
            if (!nspawn.waitFor(30, TimeUnit.SECONDS)) {
                // Killing the container's PID 1 ends every process of its PID namespace.
                ProcessHandle.of(init).ifPresent(ProcessHandle::destroyForcibly);
                nspawn.destroyForcibly();
                nspawn.waitFor(10, TimeUnit.SECONDS);
            }
        }
        assertThat(ProcessHandle.of(init).map(ProcessHandle::isAlive).orElse(false))
                .as("container " + name + " stopped")
                .isFalse();
    }
}
