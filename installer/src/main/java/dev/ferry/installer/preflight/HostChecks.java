package dev.ferry.installer.preflight;

import dev.ferry.installer.check.Cause;
import dev.ferry.installer.check.Check;
import dev.ferry.installer.host.OperatingSystem;
import java.util.List;
import java.util.Locale;

/** The {@code os} and {@code privileges} checks. */
final class HostChecks {
    private HostChecks() {}

    static Check os(HostFacts host, List<String> allowed) {
        OperatingSystem os = host.os();
        String seen = os.family() + " " + os.version() + " " + os.arch();
        if (allowed == null || allowed.isEmpty()) {
            return Check.pass("os", seen + " (the profile names no OS)", 0);
        }
        boolean ok = allowed.stream()
                .anyMatch(named -> named.toLowerCase(Locale.ROOT).equals(os.family()));
        return ok
                ? Check.pass("os", seen, 0)
                : Check.fail(
                        "os",
                        Cause.UNSUPPORTED_OS,
                        seen + "; the profile allows " + String.join(", ", allowed),
                        "install on a host running " + String.join(" or ", allowed)
                                + ", or build a bundle whose profile lists " + os.family(),
                        0);
    }

    static Check privileges(HostFacts host, boolean requireAdmin) {
        String who = host.os().isWindows() ? "Administrator" : "root";
        if (host.admin() == null) {
            return requireAdmin
                    ? Check.warn(
                            "privileges",
                            Cause.NOT_ADMIN,
                            "cannot tell whether this runs as " + who,
                            "run the installer as " + who,
                            0)
                    : Check.pass("privileges", "not required by the profile", 0);
        }
        if (host.admin()) {
            return Check.pass("privileges", "running as " + who, 0);
        }
        return requireAdmin
                ? Check.fail(
                        "privileges",
                        Cause.NOT_ADMIN,
                        "not running as " + who + "; the profile requires it",
                        host.os().isWindows()
                                ? "run the installer from an elevated prompt (Run as administrator)"
                                : "run the installer as root, e.g. with sudo",
                        0)
                : Check.pass("privileges", "not running as " + who + "; the profile does not require it", 0);
    }
}
