package dev.ferry.common.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.Map;

/**
 * The checks that make a folder safe for root to write in: no one but root (or the account Ferry runs as) can
 * change what is in it, so no one can plant a link there between a check and a write. Like OpenSSH's
 * {@code safe_path}: each component is looked at with {@code lstat}, never through a link.
 */
public final class PathChecks {
    private static final int STICKY = 01000;
    private static final int OTHERS_WRITE = 0002;
    private static volatile Integer ownUid;

    private PathChecks() {}

    /**
     * Each existing component from {@code base} down to {@code path} (both included; {@code base} may be a link to a
     * folder that is safe like a host folder) is a real folder (the last may
     * be a regular file, which may belong to the agent's account), not a symbolic link, owned by root or by this
     * process, and writable by no one else (a folder may be if it is sticky).
     * Components that do not exist yet are fine: Ferry creates them with its own modes.
     */
    public static void ownTree(Path base, Path path) throws UnsafePathException {
        Path absolute = path.toAbsolutePath().normalize();
        Path top = base.toAbsolutePath().normalize();
        if (!absolute.startsWith(top)) {
            throw new IllegalArgumentException(path + " is not under " + base);
        }
        Path p = top;
        if (Files.isSymbolicLink(top)) {
            // The layout root itself may be a link (an admin moved /var/lib/ferry to a larger disk): the folder it
            // leads to, and every folder above that, must then be as safe as the host's own folders.
            Path real;
            try {
                real = top.toRealPath();
            } catch (IOException e) {
                return; // a dangling link: creating under it fails with its own message
            }
            hostFolder(real);
            hostFolders(real);
        } else if (!check(p, p.equals(absolute))) {
            return;
        }
        for (Path name : top.relativize(absolute)) {
            if (name.toString().isEmpty()) {
                continue;
            }
            p = p.resolve(name);
            if (!check(p, p.equals(absolute))) {
                return;
            }
        }
    }

    /**
     * The host's own folders above a layout root ({@code /}, {@code /var}, {@code /var/lib}, ...): they may be
     * links (the host's arrangement), but none may be writable by other accounts unless it is sticky (like
     * {@code /tmp}: there others cannot rename or delete what is not theirs), and each is owned by root or this
     * process.
     */
    public static void hostFolders(Path layoutRoot) throws UnsafePathException {
        for (Path p = layoutRoot.toAbsolutePath().normalize().getParent(); p != null; p = p.getParent()) {
            hostFolder(p);
        }
    }

    private static void hostFolder(Path p) throws UnsafePathException {
        Map<String, Object> unix = unix(p, true);
        if (unix == null) {
            return;
        }
        int mode = (Integer) unix.get("mode");
        if ((mode & OTHERS_WRITE) != 0 && (mode & STICKY) == 0) {
            throw new UnsafePathException(
                    p,
                    "any account can write it (mode " + new FileMode(mode & 0777) + ") and so replace"
                            + " the folders Ferry installs into",
                    "chmod o-w " + p + " (or +t), then run this again");
        }
        if (!trusted((Integer) unix.get("uid"))) {
            throw new UnsafePathException(
                    p,
                    "it belongs to uid " + unix.get("uid") + ", not root",
                    "chown root " + p + ", then run this again");
        }
    }

    /** Whether {@code path} exists (as itself, not through a link). */
    public static boolean exists(Path path) {
        return Files.exists(path, LinkOption.NOFOLLOW_LINKS);
    }

    /** @return false when {@code p} does not exist (nothing below it can either) */
    private static boolean check(Path p, boolean last) throws UnsafePathException {
        boolean isLink;
        try {
            isLink = Files.isSymbolicLink(p);
            if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                return false;
            }
            if (isLink) {
                throw new UnsafePathException(
                        p,
                        "it is a symbolic link, and Ferry never follows a link inside its own" + " folders",
                        "remove it (look where it points first), then run this again");
            }
            if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)
                    && !(last && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))) {
                throw new UnsafePathException(
                        p,
                        last ? "it is neither a folder nor a regular file" : "it is not a folder",
                        "remove it, then run this again");
            }
            if (!AtomicWriter.posix(p)) {
                return true;
            }
            Map<String, Object> unix = unix(p, false);
            FileMode mode = unix != null
                    ? new FileMode((Integer) unix.get("mode") & 0777)
                    : FileMode.of(Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
                            .permissions());
            // A sticky folder shared with the agent's group (1770) is fine: the group adds its own files there but
            // cannot rename or delete root's, and root never follows or reuses a name someone else created.
            boolean sticky = unix != null
                    && ((Integer) unix.get("mode") & STICKY) != 0
                    && Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS);
            if (mode.writableByOthers() && !sticky) {
                throw new UnsafePathException(
                        p,
                        "other accounts can write it (mode " + mode + "), so they could plant a"
                                + " link or replace what root runs",
                        "check its content, chmod go-w " + p + ", then run this again");
            }
            // A regular file at the end may belong to the agent's account (the token its service user reads): its
            // folder is root's, so the file cannot be swapped for a link, and Ferry replaces it by rename, never
            // writing through it.
            boolean agentsFile = last && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS);
            if (unix != null && !trusted((Integer) unix.get("uid")) && !agentsFile) {
                throw new UnsafePathException(
                        p,
                        "it belongs to uid " + unix.get("uid") + ", not root",
                        "check its content, chown root " + p + ", then run this again");
            }
            return true;
        } catch (UnsafePathException e) {
            throw e;
        } catch (IOException e) {
            return true; // unreadable attributes: the write that follows reports its own failure
        }
    }

    private static Map<String, Object> unix(Path p, boolean follow) {
        if (!p.getFileSystem().supportedFileAttributeViews().contains("unix")) {
            return null;
        }
        try {
            return follow
                    ? Files.readAttributes(p, "unix:mode,uid")
                    : Files.readAttributes(p, "unix:mode,uid", LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException | UnsupportedOperationException e) {
            return null;
        }
    }

    private static boolean trusted(int uid) {
        return uid == 0 || uid == ownUid();
    }

    /** This process's uid: the owner of /proc/self; root where /proc is not mounted (a bare chroot). */
    private static int ownUid() {
        Integer uid = ownUid;
        if (uid == null) {
            try {
                uid = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            } catch (IOException | RuntimeException e) {
                uid = 0;
            }
            ownUid = uid;
        }
        return uid;
    }
}
