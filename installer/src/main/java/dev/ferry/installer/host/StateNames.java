package dev.ferry.installer.host;

import dev.ferry.installer.host.InstallState.Pending;
import dev.ferry.installer.host.InstallState.ReleaseRecord;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Every name read from {@code state.json} becomes a path under the agent's folders (a release to switch to, a
 * staging or set-aside folder to delete), so each is checked like a manifest path before use: one folder name, no
 * separator, no {@code ..}, nothing hidden but Ferry's own staging and set-aside prefixes. A crafted pending record
 * must not make recovery delete a folder outside the root.
 */
final class StateNames {
    /** {@code VERSION-SEQUENCE}: a safe version (see {@link HostLayout}) and a number. */
    private static final Pattern RELEASE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]{0,127}-[0-9]{1,19}");

    private static final Pattern SERVICE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.@-]{0,127}");
    /** One folder name: no separator, not "." or "..", nothing hidden, no control character. */
    private static final Pattern FOLDER = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]{0,200}");

    private StateNames() {}

    static void check(Path file, String agent, InstallState state) {
        if (state.name() != null && !state.name().equals(agent)) {
            throw damaged(file, "name", state.name());
        }
        release(file, "current.release", state.current());
        release(file, "previous.release", state.previous());
        for (ReleaseRecord r : state.history()) {
            release(file, "history[].release", r);
        }
        Pending p = state.pending();
        if (p == null) {
            return;
        }
        if (p.phase() == null) {
            throw damaged(file, "pending.phase", null);
        }
        release(file, "pending.newRelease", p.releases().newRelease(), true);
        release(file, "pending.previousRelease", p.releases().previousRelease(), false);
        folder(file, "pending.staging", p.releases().staging(), HostPaths.STAGING_PREFIX);
        folder(file, "pending.asideRelease", p.releases().asideRelease(), HostPaths.ASIDE_PREFIX);
        if (p.serviceName() != null && !SERVICE.matcher(p.serviceName()).matches()) {
            throw damaged(file, "pending.serviceName", p.serviceName());
        }
    }

    private static void release(Path file, String field, ReleaseRecord record) {
        if (record != null) {
            release(file, field, record.release(), true);
        }
    }

    private static void release(Path file, String field, String name, boolean required) {
        if (name == null ? required : !RELEASE.matcher(name).matches()) {
            throw damaged(file, field, name);
        }
    }

    /** {@code PREFIX + release + -random}, as the transaction names its staging and set-aside folders. */
    private static void folder(Path file, String field, String name, String prefix) {
        if (name != null
                && !(name.startsWith(prefix)
                        && FOLDER.matcher(name.substring(prefix.length())).matches())) {
            throw damaged(file, field, name);
        }
    }

    private static StateStore.DamagedStateException damaged(Path file, String field, String value) {
        return new StateStore.DamagedStateException(
                file,
                field + " is " + (value == null ? "missing" : "'" + printable(value) + "', not a name Ferry writes"),
                null);
    }

    /** The bad value as the reader can see it: control characters shown as \\uXXXX, and at most 80 of them. */
    private static String printable(String value) {
        StringBuilder s = new StringBuilder();
        for (char c : value.toCharArray()) {
            if (s.length() >= 80) {
                return s.append("...").toString();
            }
            s.append(
                    c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0)
                            ? String.format("\\u%04x", (int) c)
                            : String.valueOf(c));
        }
        return s.toString();
    }
}
