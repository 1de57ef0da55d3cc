package dev.ferry.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;

/**
 * Real mounts for the disk faults: a small tmpfs (a full disk) and read-only bind mounts. Needs
 * root and a kernel that lets this container mount; otherwise the test is skipped (an Assumption). Every mount made
 * here is undone by {@link #close}, newest first.
 */
final class Mounts implements AutoCloseable {
    private final Deque<Path> mounted = new ArrayDeque<>();

    /** A tmpfs of {@code megabytes} at {@code dir}, or the test is skipped when mounting is not permitted here. */
    void tmpfs(Path dir, int megabytes) {
        tmpfs(dir, megabytes, "mode=0755");
    }

    /** @param options more mount options, comma-separated (noexec, mode=1777, ...) */
    void tmpfs(Path dir, int megabytes, String options) {
        Programs.Run run = mount("-t", "tmpfs", "-o", "size=" + megabytes + "m," + options, "tmpfs", dir.toString());
        Assumptions.assumeTrue(
                run.exitCode() == 0, "cannot mount a tmpfs here (not root, or no CAP_SYS_ADMIN): " + run.stderr());
        mounted.push(dir);
    }

    /** {@code dir} mounted over itself, read-only: the folder stays, writes to it fail with EROFS. */
    void bindReadOnly(Path dir) {
        Programs.Run bind = mount("--bind", dir.toString(), dir.toString());
        assertThat(bind.exitCode()).as(bind.toString()).isZero();
        mounted.push(dir);
        Programs.Run ro = mount("-o", "remount,bind,ro", dir.toString());
        assertThat(ro.exitCode()).as(ro.toString()).isZero();
    }

    void unmount(Path dir) {
        if (mounted.remove(dir)) {
            umount(dir);
        }
    }

    private static Programs.Run mount(String... args) {
        return Programs.run(Map.of(), Programs.prepend("mount", args));
    }

    private static void umount(Path dir) {
        if (Programs.run(Map.of(), "umount", dir.toString()).exitCode() != 0) {
            Programs.run(Map.of(), "umount", "-l", dir.toString()); // something still holds it: detach it anyway
        }
    }

    @Override
    public void close() {
        while (!mounted.isEmpty()) {
            umount(mounted.pop());
        }
    }
}
