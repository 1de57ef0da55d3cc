package dev.ferry.installer.service;

import dev.ferry.common.files.AtomicWriter;
import dev.ferry.common.files.FileMode;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Makes everything a unit names exist before systemd starts it, usable by {@code service.user}. systemd opens
 * {@code StandardOutput=append:} files and sets up {@code ReadWritePaths=} before the agent runs: a missing folder
 * fails the start (status 209/STDOUT, 226/NAMESPACE) and the unit crash-loops.
 *
 * <p>With a {@code service.user} the agent is not root, so: its data and log folders get the user's group and mode
 * 1770 (the sticky bit: the agent adds its own files but cannot rename or delete the installer's state.json or
 * install.log); {@code agent.log} and {@code error.log} are the user's (the agent appends to them itself too);
 * the config folder and its files get the user's group (0750/0640: read, not write). The secrets (0600) stay
 * root's: the unit hands them over as credentials ({@link SystemdUnit}). Files the installer rewrites later
 * (register, rollback) are root's group again until the next {@link #prepare}, which every start runs.
 */
final class AgentFolders {
    static final List<String> LOGS = List.of("agent.log", "error.log");
    private static final Set<PosixFilePermission> SHARED_DIR = PosixFilePermissions.fromString("rwxrwx---");
    private static final int STICKY_SHARED_DIR = 01770;

    private final CommandRunner runner;

    AgentFolders(CommandRunner runner) {
        this.runner = runner;
    }

    void prepare(ServiceSpec spec) {
        Account account = spec.user() == null || spec.user().isBlank() ? null : account(spec.user());
        try {
            for (Path dir : spec.writableDirs() == null ? List.<Path>of() : spec.writableDirs()) {
                AtomicWriter.createFolders(dir, FileMode.FOLDER); // 0755 whatever the umask
                if (account != null) {
                    shareWith(dir, account);
                }
            }
            if (spec.logDir() != null) {
                AtomicWriter.createFolders(spec.logDir(), FileMode.FOLDER);
                for (String log : LOGS) {
                    Path file = spec.logDir().resolve(log);
                    ServiceFiles.createLog(file); // 0640 if new; a link planted at its name is refused
                    if (account != null && Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                        owner(file).setOwner(account.user());
                        owner(file).setGroup(account.group());
                    }
                }
            }
            if (account != null
                    && spec.configDir() != null
                    && Files.isDirectory(spec.configDir(), LinkOption.NOFOLLOW_LINKS)) {
                readableBy(spec.configDir(), account);
            }
        } catch (IOException e) {
            throw new ServiceException(
                    "cannot prepare the folders of " + spec.name() + " for systemd: " + e.getMessage(), e);
        }
    }

    private static void shareWith(Path dir, Account account) throws IOException {
        PosixFileAttributeView view = owner(dir);
        view.setGroup(account.group());
        view.setPermissions(SHARED_DIR);
        // The sticky bit: no POSIX view can set it, the JDK's "unix" view can (chmod(2) with the whole mode).
        Files.setAttribute(dir, "unix:mode", STICKY_SHARED_DIR, LinkOption.NOFOLLOW_LINKS);
    }

    /** The config folder and its files: group-readable as they are; owner-only files (the secrets) stay root's alone. */
    private static void readableBy(Path configDir, Account account) throws IOException {
        owner(configDir).setGroup(account.group());
        try (Stream<Path> files = Files.list(configDir)) {
            for (Path file : files.filter(f -> Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS))
                    .toList()) {
                PosixFileAttributeView view = owner(file);
                if (view.readAttributes().permissions().contains(PosixFilePermission.GROUP_READ)) {
                    view.setGroup(account.group());
                }
            }
        }
    }

    private static PosixFileAttributeView owner(Path path) {
        return Files.getFileAttributeView(path, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
    }

    private Account account(String user) {
        UserPrincipalLookupService lookup = FileSystems.getDefault().getUserPrincipalLookupService();
        String remedy = "create it first (useradd --system --user-group " + user + ") or change service.user";
        try {
            UserPrincipal principal = lookup.lookupPrincipalByName(user);
            CommandResult group = runner.run(List.of("id", "-gn", user), Duration.ofSeconds(10));
            if (!group.ok() || group.stdout().isBlank()) {
                throw new ServiceException(
                        "cannot find the group of service.user '" + user + "': " + group.firstErrorLine());
            }
            return new Account(
                    principal, lookup.lookupPrincipalByGroupName(group.stdout().strip()));
        } catch (UserPrincipalNotFoundException e) {
            throw new ServiceException("service.user '" + user + "' does not exist on this host: " + remedy);
        } catch (IOException e) {
            throw new ServiceException("cannot look up service.user '" + user + "': " + e.getMessage(), e);
        }
    }

    private record Account(UserPrincipal user, GroupPrincipal group) {}
}
