package dev.ferry.installer.diagnose;

import dev.ferry.profiles.Redaction;
import java.io.IOException;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** {@code network.txt}: interfaces, routes, DNS resolvers and the proxy environment (passwords redacted). */
final class NetworkFacts {
    private NetworkFacts() {}

    static String collect(DiagnoseInputs in, Commands commands, List<String> missing) {
        StringBuilder out = new StringBuilder();
        out.append("== interfaces ==\n");
        for (String line : interfaces()) {
            out.append(line).append('\n');
        }
        Optional<String> ip = commands.run(List.of("ip", "route"));
        if (ip.isPresent()) {
            out.append("\n== routes (ip route) ==\n").append(ip.get().strip()).append('\n');
        } else {
            out.append("\n== routes (/proc/net/route) ==\n")
                    .append(read(Path.of("/proc/net/route"))
                            .orElse("neither 'ip route' nor /proc/net/route is available"))
                    .append('\n');
        }
        Path resolv =
                in.root() == null ? Path.of("/etc/resolv.conf") : in.root().resolve("etc/resolv.conf");
        out.append("\n== DNS resolvers (").append(resolv).append(") ==\n");
        Optional<String> resolvers = read(resolv);
        if (resolvers.isPresent()) {
            resolvers
                    .get()
                    .lines()
                    .filter(l -> !l.isBlank() && !l.startsWith("#"))
                    .forEach(l -> out.append(l).append('\n'));
        } else {
            out.append("missing\n");
            missing.add(resolv + " (no DNS resolver configuration)");
        }
        out.append("\n== proxy environment ==\n");
        Map<String, String> proxies = new TreeMap<>();
        in.environment().forEach((k, v) -> {
            String key = k.toLowerCase(Locale.ROOT);
            if (key.endsWith("_proxy") || key.equals("proxy")) {
                proxies.put(k, v);
            }
        });
        if (proxies.isEmpty()) {
            out.append("none set\n");
        }
        // By structure, not by known secrets: the password may be one Ferry never saw, URL-encoded, or hold '@' or '/'.
        proxies.forEach(
                (k, v) -> out.append(k).append('=').append(Redaction.url(v)).append('\n'));
        return out.toString();
    }

    /** The names of the host's IP addresses, for the summary. */
    static List<String> addresses() {
        List<String> all = new ArrayList<>();
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (nic.isUp() && !nic.isLoopback()) {
                    nic.getInterfaceAddresses()
                            .forEach(a -> all.add(a.getAddress().getHostAddress()));
                }
            }
        } catch (SocketException | NullPointerException e) {
            all.add("(interfaces not readable: " + e.getClass().getSimpleName() + ")");
        }
        return all;
    }

    private static List<String> interfaces() {
        List<String> lines = new ArrayList<>();
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                List<String> addrs = new ArrayList<>();
                for (InterfaceAddress a : nic.getInterfaceAddresses()) {
                    addrs.add(a.getAddress().getHostAddress() + "/" + a.getNetworkPrefixLength());
                }
                lines.add(nic.getName() + " (" + (nic.isUp() ? "up" : "down") + ", mtu " + nic.getMTU() + "): "
                        + (addrs.isEmpty() ? "no addresses" : String.join(", ", addrs)));
            }
        } catch (SocketException | NullPointerException e) {
            lines.add("interfaces not readable: " + e.getClass().getSimpleName());
        }
        return lines;
    }

    private static Optional<String> read(Path file) {
        try {
            return Files.isRegularFile(file) && Files.size(file) < 1 << 20
                    ? Optional.of(Files.readString(file))
                    : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
