package dev.ferry.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.bundle.testing.JsonDocument;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A fleet of isolated "hosts" for the Ansible tests: one network namespace per host with its own sshd
 * ({@code ansible/fleet.sh}), each host with its own {@code --root} under the work folder, and
 * {@code ansible-playbook} run from the root namespace with a generated key and known_hosts. Host
 * {@code fleet-d} has no namespace of its own: it is a second root reached through fleet-a's sshd, a host that
 * only a rollout that does not stop would touch.
 */
final class AnsibleFleet implements AutoCloseable {
    static final Path PLAYBOOKS = Programs.REPO.resolve("integrations/ansible/playbooks");
    static final Path FLEET_SH = Programs.REPO.resolve("e2e/src/test/resources/ansible/fleet.sh");
    static final List<String> NAMESPACED = List.of("fleet-a", "fleet-b", "fleet-c");
    static final List<String> HOSTS = List.of("fleet-a", "fleet-b", "fleet-c", "fleet-d");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern RECAP = Pattern.compile(
            "^(\\S+)\\s*:\\s*ok=(\\d+)\\s+changed=(\\d+)\\s+unreachable=(\\d+)\\s+failed=(\\d+)", Pattern.MULTILINE);

    final Path work;
    final String tag;
    private boolean up;

    AnsibleFleet(Path work) {
        this.work = work;
        this.tag = String.valueOf(ProcessHandle.current().pid() % 10000);
    }

    static boolean canRun() {
        return "root".equals(System.getProperty("user.name"))
                && onPath("ansible-playbook")
                && Files.isExecutable(Path.of("/usr/sbin/sshd"))
                && onPath("ssh-keygen")
                && (Files.isExecutable(Path.of("/usr/sbin/ip")) || Files.isExecutable(Path.of("/sbin/ip")));
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    void up() {
        up = true;
        List<String> command = new ArrayList<>(List.of(FLEET_SH.toString(), "up", work.toString(), tag));
        command.addAll(NAMESPACED);
        check(Programs.run(Map.of(), command.toArray(String[]::new)), "fleet.sh up");
    }

    /** Gives or takes a host's route to the platform address. */
    void route(String host, boolean on) {
        check(
                Programs.run(Map.of(), FLEET_SH.toString(), "route", work.toString(), host, on ? "on" : "off"),
                "fleet.sh route");
    }

    Path root(String host) {
        return work.resolve("hosts/" + host);
    }

    String address(String host) {
        return "fleet-d".equals(host) ? net() + ".1.2" : net() + "." + (NAMESPACED.indexOf(host) + 1) + ".2";
    }

    /** The root namespace's end of fleet-a's veth: the only platform address, served by the stand-in. */
    String platformAddress() {
        return net() + ".1.1";
    }

    /** The 10.N network fleet.sh up chose: the first no address on this machine used (other fleets may be up). */
    private String net() {
        try {
            return Files.readString(work.resolve("fleet/net")).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The inventory a user would write, plus what a shared-file-system test needs: a root per host. */
    Path inventory(Path trustKey, Map<String, Path> tokens) throws IOException {
        StringBuilder hosts = new StringBuilder();
        for (String host : HOSTS) {
            hosts.append("        ")
                    .append(host)
                    .append(":\n")
                    .append("          ansible_host: ")
                    .append(address(host))
                    .append('\n')
                    .append("          ferry_root: ")
                    .append(root(host))
                    .append('\n')
                    .append("          ansible_remote_tmp: ")
                    .append(root(host).resolve(".ansible-tmp"))
                    .append('\n');
            if (tokens.containsKey(host)) {
                hosts.append("          ferry_token_file: ")
                        .append(tokens.get(host))
                        .append('\n');
            }
        }
        Path fleet = work.resolve("fleet");
        String yaml = "all:\n"
                + "  vars:\n"
                + "    ansible_user: root\n"
                + "    ansible_ssh_private_key_file: " + fleet.resolve("id_ed25519") + "\n"
                + "    ansible_ssh_common_args: -o UserKnownHostsFile=" + fleet.resolve("known_hosts")
                + " -o StrictHostKeyChecking=yes\n"
                + "    ansible_python_interpreter: /usr/bin/python3\n"
                + "    ferry_installer_command: " + Programs.REPO.resolve("bin/installer") + "\n"
                + "    ferry_trust_keys: [" + trustKey + "]\n"
                + "    ferry_service_manager: process\n"
                + "  children:\n"
                + "    ferry_canary:\n"
                + "      hosts:\n"
                + "        fleet-a:\n"
                + "    ferry_fleet:\n"
                + "      hosts:\n"
                + hosts;
        return Files.writeString(work.resolve("inventory.yml"), yaml);
    }

    /** ansible-playbook with a private HOME, temp and control-path folders, from the work folder. */
    Programs.Run playbook(String playbook, String... args) {
        Map<String, String> env = new HashMap<>();
        env.put("HOME", work.resolve("home").toString());
        try {
            Files.createDirectories(work.resolve("home"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        env.put("ANSIBLE_LOCAL_TEMP", work.resolve("ansible-local").toString());
        env.put("ANSIBLE_SSH_CONTROL_PATH_DIR", work.resolve("cp").toString());
        // One ssh connection per host for the whole test (it outlives a playbook), and no compression: on loopback
        // and veths it only costs CPU (ansible's default ssh_args are -C -o ControlMaster=auto -o ControlPersist=60s).
        env.put("ANSIBLE_SSH_ARGS", "-o ControlMaster=auto -o ControlPersist=900s -o Compression=no");
        env.put("ANSIBLE_PIPELINING", "1");
        env.put("ANSIBLE_NOCOLOR", "1");
        env.put("ANSIBLE_RETRY_FILES_ENABLED", "0");
        env.put("ANSIBLE_SHOW_CUSTOM_STATS", "1");
        env.put("ANSIBLE_CONFIG", work.resolve("no-ansible.cfg").toString());
        List<String> command = new ArrayList<>(List.of(
                "ansible-playbook",
                "-i",
                work.resolve("inventory.yml").toString(),
                PLAYBOOKS.resolve(playbook).toString(),
                "-e",
                "ferry_report_dir=" + work.resolve("reports")));
        command.addAll(List.of(args));
        long started = System.nanoTime();
        Programs.Run run = Programs.run(env, work, command.toArray(String[]::new));
        long seconds = (System.nanoTime() - started) / 1_000_000_000;
        String line = playbook + " " + String.join(" ", args) + ": " + seconds + " s";
        TIMES.add(line);
        System.out.println("ansible-playbook " + line);
        return run;
    }

    /** How long each playbook run took, in order: for the test's summary (where a slow suite spends its time). */
    static final List<String> TIMES = new CopyOnWriteArrayList<>();

    /** host -> changed count (and failed count) from the PLAY RECAP; hosts a run never touched are absent. */
    static Map<String, int[]> recap(Programs.Run run) {
        String out = run.stdout();
        int at = out.lastIndexOf("PLAY RECAP");
        Map<String, int[]> byHost = new LinkedHashMap<>();
        if (at < 0) {
            return byHost;
        }
        Matcher m = RECAP.matcher(out.substring(at));
        while (m.find()) {
            byHost.put(m.group(1), new int[] {Integer.parseInt(m.group(3)), Integer.parseInt(m.group(5))});
        }
        return byHost;
    }

    JsonNode report(String file) throws IOException {
        return JSON.readTree(work.resolve("reports").resolve(file).toFile());
    }

    static JsonNode row(JsonNode report, String host) {
        for (JsonNode row : report.get("hosts")) {
            if (host.equals(row.get("host").asText())) {
                return row;
            }
        }
        throw new AssertionError("no row for " + host + " in " + report);
    }

    /** installer status --json of one host's root, read directly (not through Ansible). */
    JsonNode status(String host) throws IOException {
        Programs.Run run =
                Programs.installer("status", "--json", "--root", root(host).toString(), "--service-manager", "process");
        check(run, "installer status");
        return JsonDocument.parse(run.stdout());
    }

    private static void check(Programs.Run run, String what) {
        if (run.exitCode() != 0) {
            throw new AssertionError(what + " failed: " + run);
        }
    }

    /** The shared ssh connections (ControlPersist outlives the playbooks) end with the test, not minutes later. */
    private void stopSshMasters() {
        Path sockets = work.resolve("cp");
        if (!Files.isDirectory(sockets)) {
            return;
        }
        try (var all = Files.list(sockets)) {
            for (Path socket : all.toList()) {
                Programs.run(Map.of(), "ssh", "-o", "ControlPath=" + socket, "-O", "exit", "fleet");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Uninstall stops every agent by its pid file; then sshd and the namespaces go (whatever is left in them too). */
    @Override
    public void close() {
        stopSshMasters();
        for (String host : HOSTS) {
            if (Files.exists(root(host).resolve("var/lib/ferry/certinext-bot/state.json"))) {
                Programs.installer("uninstall", "--root", root(host).toString(), "--service-manager", "process");
            }
        }
        if (up) {
            Programs.Run down = Programs.run(Map.of(), FLEET_SH.toString(), "down", work.toString());
            if (down.exitCode() != 0) {
                throw new UncheckedIOException(new IOException("fleet.sh down failed: " + down));
            }
        }
    }
}
