package dev.ferry.installer.host;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code <root>/var/lib/ferry/NAME/state.json} (schema {@value #SCHEMA}): what is installed, the previous kept
 * release, the token in use, the last self-test, a short history, and an unfinished transaction if a run died.
 *
 * @param current the active release, null when nothing is installed (never installed, or uninstalled)
 * @param previous the release a rollback returns to, null when there is none
 * @param token the registration token's public facts: from the bundle, or from the last {@code register}
 * @param serviceManager the service manager used for the install, reused when a later command says {@code auto}
 * @param selfTest the last self-test run
 * @param history releases installed, newest first, at most {@value #HISTORY}
 * @param pending the transaction in progress; only ever non-null on disk when a run died in the middle
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record InstallState(
        String schema,
        String name,
        ReleaseRecord current,
        ReleaseRecord previous,
        TokenRecord token,
        String serviceManager,
        SelfTestRecord selfTest,
        List<ReleaseRecord> history,
        Instant uninstalledAt,
        Pending pending) {
    public static final String SCHEMA = "ferry-state/1";
    public static final int HISTORY = 10;

    public InstallState {
        history = history == null ? List.of() : List.copyOf(history);
    }

    public static InstallState empty(String name) {
        return new InstallState(SCHEMA, name, null, null, null, null, null, List.of(), null, null);
    }

    /** One installed release: enough for status, rollback and the history. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ReleaseRecord(
            String release,
            String version,
            long sequence,
            String profileName,
            String bundleSha256,
            List<String> signers,
            Instant bundleExpiresAt,
            Instant installedAt) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record TokenRecord(String id, Instant notBefore, Instant notAfter, String source, Instant installedAt) {}

    /** @param result pass, fail or skipped */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record SelfTestRecord(Instant at, String result, List<String> failures) {
        public static final String PASS = "pass";
        public static final String FAIL = "fail";
        public static final String SKIPPED = "skipped";
    }

    /**
     * A transaction in progress (SPEC section 5 step 2). {@code phase} says how far it got. Recovery undoes every
     * phase, because the commit is the one atomic write of state.json that clears this record and sets
     * {@code current}: a run that died before it never finished its self-test, so its result is unknown. In
     * state.json its groups are written flat ({@code "staging"}, {@code "newRelease"}, ... {@code "configExisted"}),
     * as they always were, so a record left by an older installer is still undone.
     *
     * @param action install, reinstall, rollback or register
     * @param releases the release folders it moves
     * @param config what it did to the config folder
     * @param serviceName the service the transaction (re)registers
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Pending(
            String action,
            Phase phase,
            Instant startedAt,
            @JsonUnwrapped ReleaseMoves releases,
            @JsonUnwrapped ConfigBackup config,
            String serviceName) {
        /** An install or reinstall about to verify into {@code staging} (the STAGING phase). */
        public static Pending staging(
                String action,
                Instant startedAt,
                String staging,
                String newRelease,
                String previousRelease,
                String serviceName) {
            return new Pending(
                    action,
                    Phase.STAGING,
                    startedAt,
                    new ReleaseMoves(staging, newRelease, false, previousRelease, null),
                    ConfigBackup.NONE,
                    serviceName);
        }

        /** A register or rollback: no staging, the config is about to be backed up (the CONFIGURING phase). */
        public static Pending configuring(
                String action, Instant startedAt, String newRelease, String previousRelease, String serviceName) {
            return new Pending(
                    action,
                    Phase.CONFIGURING,
                    startedAt,
                    new ReleaseMoves(null, newRelease, false, previousRelease, null),
                    ConfigBackup.NONE,
                    serviceName);
        }

        @JsonCreator
        static Pending fromJson(
                @JsonProperty("action") String action,
                @JsonProperty("phase") Phase phase,
                @JsonProperty("startedAt") Instant startedAt,
                @JsonProperty("staging") String staging,
                @JsonProperty("newRelease") String newRelease,
                @JsonProperty("createdRelease") boolean createdRelease,
                @JsonProperty("previousRelease") String previousRelease,
                @JsonProperty("asideRelease") String asideRelease,
                @JsonProperty("configBackedUp") boolean configBackedUp,
                @JsonProperty("configExisted") boolean configExisted,
                @JsonProperty("serviceName") String serviceName) {
            return new Pending(
                    action,
                    phase,
                    startedAt,
                    new ReleaseMoves(staging, newRelease, createdRelease, previousRelease, asideRelease),
                    new ConfigBackup(configBackedUp, configExisted),
                    serviceName);
        }

        public Pending at(Phase next) {
            return new Pending(action, next, startedAt, releases, config, serviceName);
        }

        public Pending withConfigBackup(boolean existed) {
            return new Pending(action, phase, startedAt, releases, new ConfigBackup(true, existed), serviceName);
        }

        /** This transaction creates {@code newRelease}'s folder; an existing one was set aside as {@code aside} (or null). */
        public Pending withRelease(String aside) {
            return new Pending(action, phase, startedAt, releases.created(aside), config, serviceName);
        }
    }

    /**
     * The release folders a transaction moves, by name under {@code releases/}.
     *
     * @param staging the staging folder (install, reinstall), null otherwise
     * @param newRelease the release being switched to
     * @param createdRelease whether this transaction created {@code newRelease}'s folder (undo deletes it)
     * @param previousRelease the release {@code current} pointed at before, null when there was none
     * @param asideRelease where an existing folder of {@code newRelease} was moved, restored by undo; null if none
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ReleaseMoves(
            String staging, String newRelease, boolean createdRelease, String previousRelease, String asideRelease) {
        ReleaseMoves created(String aside) {
            return new ReleaseMoves(staging, newRelease, true, previousRelease, aside);
        }
    }

    /**
     * @param configBackedUp whether {@code .txn/config-backup} holds the previous config folder
     * @param configExisted whether there was a config folder before (if not, undo removes it)
     */
    public record ConfigBackup(boolean configBackedUp, boolean configExisted) {
        static final ConfigBackup NONE = new ConfigBackup(false, false);
    }

    public enum Phase {
        /** Verifying and unpacking into the staging folder; nothing outside it changed yet. */
        STAGING,
        /** The previous config is backed up; config, token and service registration are being (re)written. */
        CONFIGURING,
        /** The new release is in place and {@code current} may point at it; the service restarts, self-tests run. */
        SWITCHED
    }

    public InstallState withPending(Pending p) {
        return new InstallState(
                schema, name, current, previous, token, serviceManager, selfTest, history, uninstalledAt, p);
    }

    public InstallState withSelfTest(SelfTestRecord s) {
        return new InstallState(
                schema, name, current, previous, token, serviceManager, s, history, uninstalledAt, pending);
    }

    public InstallState withToken(TokenRecord t) {
        return new InstallState(
                schema, name, current, previous, t, serviceManager, selfTest, history, uninstalledAt, pending);
    }

    /** The committed state after switching to {@code next}: what was current becomes previous. */
    public InstallState committed(
            ReleaseRecord next, ReleaseRecord newPrevious, TokenRecord newToken, String manager, SelfTestRecord test) {
        List<ReleaseRecord> h = new ArrayList<>();
        h.add(next);
        history.stream()
                .filter(r ->
                        !r.release().equals(next.release()) || !r.installedAt().equals(next.installedAt()))
                .limit(HISTORY - 1L)
                .forEach(h::add);
        return new InstallState(SCHEMA, name, next, newPrevious, newToken, manager, test, h, null, null);
    }

    public InstallState uninstalled(Instant at) {
        return new InstallState(schema, name, null, null, token, serviceManager, selfTest, history, at, null);
    }
}
