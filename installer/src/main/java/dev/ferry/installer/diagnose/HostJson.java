package dev.ferry.installer.diagnose;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.installer.preflight.HostFacts;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** {@code host.json}: OS (the facts preflight checks), privileges, kernel, architecture, clock and NTP state, free disk of the install's folders. */
final class HostJson {
    private HostJson() {}

    static ObjectNode collect(DiagnoseInputs in, Commands commands, List<String> missing) {
        ObjectNode host = JsonNodeFactory.instance.objectNode();
        host.put("hostName", in.hostName());
        HostFacts facts = HostFacts.current();
        ObjectNode os = host.putObject("os");
        os.put("name", facts.os().name());
        os.put("version", facts.os().version());
        os.put("arch", facts.os().arch());
        host.put("admin", facts.admin());
        host.put("kernel", kernel(commands).orElse(null));
        host.put("java", System.getProperty("java.runtime.version"));
        ObjectNode clock = host.putObject("clock");
        clock.put("now", in.clock().instant().toString());
        clock.put("zone", ZoneId.systemDefault().getId());
        Optional<String> timedatectl = commands.run(List.of("timedatectl", "show"));
        if (timedatectl.isPresent()) {
            ObjectNode ntp = clock.putObject("timedatectl");
            for (String line : timedatectl.get().split("\n")) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    ntp.put(line.substring(0, eq), line.substring(eq + 1).trim());
                }
            }
        } else {
            clock.put("timedatectl", "not available (no systemd-timedated or no timedatectl)");
        }
        ArrayNode disks = host.putArray("disk");
        Set<Path> folders = new LinkedHashSet<>();
        for (Path p : new Path[] {in.configDir(), in.logDir(), in.dataDir()}) {
            if (p != null) {
                folders.add(p);
            }
        }
        folders.addAll(in.folders());
        for (Path folder : folders) {
            ObjectNode disk = disks.addObject();
            disk.put("path", folder.toString());
            try {
                FileStore store = Files.getFileStore(folder);
                disk.put("filesystem", store.name());
                disk.put("type", store.type());
                disk.put("totalMb", store.getTotalSpace() >> 20);
                disk.put("freeMb", store.getUsableSpace() >> 20);
            } catch (IOException e) {
                if (folder.getFileSystem() == FileSystems.getDefault() && Files.isDirectory(folder)) {
                    // No mount entry (a chroot's root): statvfs(2) still tells the sizes, without the file system's
                    // name.
                    disk.put("totalMb", folder.toFile().getTotalSpace() >> 20);
                    disk.put("freeMb", folder.toFile().getUsableSpace() >> 20);
                    continue;
                }
                disk.put("missing", true);
                missing.add("folder " + folder + " (disk space not measured)");
            }
        }
        return host;
    }

    private static Optional<String> kernel(Commands commands) {
        try {
            Path release = Path.of("/proc/sys/kernel/osrelease");
            if (Files.isReadable(release)) {
                return Optional.of(Files.readString(release).strip());
            }
        } catch (IOException ignored) {
            // fall back to uname
        }
        return commands.run(List.of("uname", "-r")).map(String::strip);
    }
}
