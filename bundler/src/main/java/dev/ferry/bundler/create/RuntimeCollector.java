package dev.ferry.bundler.create;

import dev.ferry.bundle.FileStamp;
import dev.ferry.bundle.PayloadFile;
import dev.ferry.common.FerryException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Turns the agent runtime folder into payload files (POSIX hosts: the connected side is a Linux or macOS build machine). The format carries regular files only, so a symbolic link
 * that stays inside the folder (a jlinked JRE has some) is carried as a copy of its target; a link that leaves the
 * folder, a device, a fifo, a socket or a setuid/setgid file is refused: none of them belongs in an agent runtime
 * that a root installer will unpack.
 */
final class RuntimeCollector {
    private static final int SETUID = 04000;
    private static final int SETGID = 02000;
    private static final int OWNER_EXECUTE = 0100;
    private static final int MAX_DEPTH = 64;
    /** What the walk reads of each entry: its type and mode, and the stamp the writer compares after reading it. */
    private static final String ATTRIBUTES = "unix:mode,isSymbolicLink,isDirectory," + FileStamp.ATTRIBUTES;

    private final Path top;
    private final Path realTop;
    private final String prefix;
    private final List<PayloadFile> files = new ArrayList<>();

    private RuntimeCollector(Path top, String prefix) throws IOException {
        this.top = top;
        this.realTop = top.toRealPath();
        this.prefix = prefix;
    }

    /** Every file under {@code runtime}, as payload files named {@code prefix + relative path}. */
    static List<PayloadFile> collect(Path runtime, String prefix) {
        try {
            RuntimeCollector collector = new RuntimeCollector(runtime, prefix);
            collector.walk(runtime, "", 0);
            return collector.files;
        } catch (IOException e) {
            throw FerryException.usage(runtime + ": cannot read the runtime folder: " + e.getMessage());
        }
    }

    private void walk(Path dir, String relDir, int depth) throws IOException {
        if (depth > MAX_DEPTH) {
            throw refuse(relDir, "folders nested deeper than " + MAX_DEPTH + " levels (a link loop?)");
        }
        List<Path> children;
        try (Stream<Path> list = Files.list(dir)) {
            children = list.toList();
        }
        for (Path child : children) {
            String rel = relDir + child.getFileName();
            // One stat per entry: type, mode and the writer's stamp together (thousands of small files make this the
            // hot loop).
            Map<String, Object> attrs = Files.readAttributes(child, ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
            if ((Boolean) attrs.get("isSymbolicLink")) {
                followLink(child, rel, depth);
            } else if ((Boolean) attrs.get("isDirectory")) {
                walk(child, rel + "/", depth + 1);
            } else if ((Boolean) attrs.get("isRegularFile")) {
                addFile(child, rel, attrs);
            } else {
                throw refuse(rel, "not a regular file, folder or link (a device, fifo or socket)");
            }
        }
    }

    private void followLink(Path link, String rel, int depth) throws IOException {
        Path target;
        try {
            target = link.toRealPath();
        } catch (IOException e) {
            throw refuse(rel, "a symbolic link to nothing (" + Files.readSymbolicLink(link) + ")");
        }
        if (!target.startsWith(realTop)) {
            throw refuse(
                    rel,
                    "a symbolic link that points outside the runtime folder (" + Files.readSymbolicLink(link)
                            + "); the bundle carries no links: copy the file into the runtime folder");
        }
        if (Files.isDirectory(target)) {
            if (link.toAbsolutePath().normalize().startsWith(target)
                    || link.toRealPath().equals(realTop)) {
                throw refuse(rel, "a symbolic link to a folder that contains it (a link loop)");
            }
            walk(target, rel + "/", depth + 1);
        } else if (Files.isRegularFile(target)) {
            addFile(target, rel, Files.readAttributes(target, ATTRIBUTES));
        } else {
            throw refuse(rel, "a symbolic link to something that is not a regular file");
        }
    }

    /** @param attrs the file's {@link #ATTRIBUTES}: its mode decides the payload mode, the rest is its stamp */
    private void addFile(Path source, String rel, Map<String, Object> attrs) {
        int mode = (Integer) attrs.get("mode");
        if ((mode & (SETUID | SETGID)) != 0) {
            throw refuse(rel, "a setuid/setgid file; the installer never installs one");
        }
        files.add(new PayloadFile(
                prefix + rel, source, (mode & OWNER_EXECUTE) != 0 ? "0755" : "0644", FileStamp.of(attrs)));
    }

    private FerryException refuse(String rel, String why) {
        return FerryException.usage(top.resolve(rel) + ": " + why);
    }
}
