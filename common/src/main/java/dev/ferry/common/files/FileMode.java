package dev.ferry.common.files;

import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/**
 * The permission bits a file or folder is created with: only read, write and execute, never setuid, setgid or
 * sticky. Every file and folder Ferry creates names one, so the caller's umask never decides who may read or write.
 */
public record FileMode(int bits) {
    /** Secrets: the token, the proxy password, a private key, a kit that embeds them. */
    public static final FileMode SECRET = new FileMode(0600);
    /** Folders no one else may enter: staging, the transaction scratch folder that holds a config backup. */
    public static final FileMode PRIVATE_FOLDER = new FileMode(0700);
    /** Rendered config, logs: root and the group may read them. */
    public static final FileMode GROUP_READABLE = new FileMode(0640);

    public static final FileMode GROUP_FOLDER = new FileMode(0750);
    /** Public facts: the manifest, state.json, the platform CA, a service unit. */
    public static final FileMode READABLE = new FileMode(0644);

    public static final FileMode FOLDER = new FileMode(0755);
    public static final FileMode EXECUTABLE = new FileMode(0755);

    private static final PosixFilePermission[] BY_BIT = {
        PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
        PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
        PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ,
    };

    public FileMode {
        if ((bits & ~0777) != 0) {
            throw new IllegalArgumentException("not a plain rwx mode: 0" + Integer.toOctalString(bits));
        }
    }

    /** "0755" or "755" (a manifest's mode): setuid, setgid and sticky bits are dropped, never applied. */
    public static FileMode parse(String octal) {
        return new FileMode(Integer.parseInt(octal, 8) & 0777);
    }

    public static FileMode of(Set<PosixFilePermission> permissions) {
        int bits = 0;
        for (int i = 0; i < BY_BIT.length; i++) {
            if (permissions.contains(BY_BIT[i])) {
                bits |= 1 << i;
            }
        }
        return new FileMode(bits);
    }

    public Set<PosixFilePermission> permissions() {
        Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
        for (int i = 0; i < BY_BIT.length; i++) {
            if ((bits & (1 << i)) != 0) {
                set.add(BY_BIT[i]);
            }
        }
        return set;
    }

    /** For a create call: the kernel applies it minus the umask, so the new file is never wider than this mode. */
    public FileAttribute<Set<PosixFilePermission>> attribute() {
        return PosixFilePermissions.asFileAttribute(permissions());
    }

    /** Whether someone other than the owner may write: a folder like that lets them plant links. */
    public boolean writableByOthers() {
        return (bits & 0022) != 0;
    }

    @Override
    public String toString() {
        return String.format("0%03o", bits);
    }
}
