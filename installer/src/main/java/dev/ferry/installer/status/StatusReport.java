package dev.ferry.installer.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.ferry.installer.service.ServiceState;
import dev.ferry.installer.service.ServiceStatus;
import java.time.Instant;
import java.util.List;

/**
 * {@code installer status --json}. {@code drift} is always present when installed ({@code []} when intact).
 * {@code interrupted} is present only when a transaction died half-way (kill, power cut): status only reads, so it
 * says what the next install, reinstall, register, rollback or uninstall will undo; until then the other fields
 * describe the last committed state. {@code unit} is what the service manager itself says (systemd: its state,
 * main PID, restarts, last exit), present when it says more than {@code service}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({
    "installed",
    "name",
    "version",
    "sequence",
    "release",
    "profile",
    "service",
    "token",
    "bundle",
    "selfTest",
    "lastAgentContact",
    "previousRelease",
    "drift",
    "uninstalledAt",
    "interrupted",
    "unit",
    "deltaBases"
})
public record StatusReport(
        boolean installed,
        String name,
        String version,
        Long sequence,
        String release,
        String profile,
        ServiceState service,
        Token token,
        Bundle bundle,
        SelfTest selfTest,
        Instant lastAgentContact,
        String previousRelease,
        List<String> drift,
        Instant uninstalledAt,
        String interrupted,
        ServiceStatus unit,
        List<DeltaBaseStatus> deltaBases) {

    public StatusReport(
            boolean installed,
            String name,
            String version,
            Long sequence,
            String release,
            String profile,
            ServiceState service,
            Token token,
            Bundle bundle,
            SelfTest selfTest,
            Instant lastAgentContact,
            String previousRelease,
            List<String> drift,
            Instant uninstalledAt,
            String interrupted,
            ServiceStatus unit) {
        this(
                installed,
                name,
                version,
                sequence,
                release,
                profile,
                service,
                token,
                bundle,
                selfTest,
                lastAgentContact,
                previousRelease,
                drift,
                uninstalledAt,
                interrupted,
                unit,
                null);
    }

    /**
     * A kept release a delta bundle can be built on (SPEC section 11): a delta whose {@code base.manifestSha256} is
     * {@code manifestSha256} applies here when {@code intact} (no drift; else reinstall it first).
     */
    public record DeltaBaseStatus(String release, String manifestSha256, boolean intact) {}

    /** @param source "bundle" or "register" */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Token(String id, Instant notBefore, Instant notAfter, long daysLeft, boolean valid, String source) {}

    /**
     * @param sbom the installed release's CycloneDX SBOM; null when the bundle had none
     * @param provenance its signed provenance; null when the bundle had none
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Bundle(
            String sha256,
            List<String> signers,
            Instant expiresAt,
            long daysLeft,
            Instant installedAt,
            String sbom,
            String provenance) {}

    /** @param result pass, fail, skipped; null when never run */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record SelfTest(Instant at, String result, List<String> failures) {}

    public static StatusReport notInstalled(String name, Instant uninstalledAt) {
        return notInstalled(name, uninstalledAt, null);
    }

    public static StatusReport notInstalled(String name, Instant uninstalledAt, String interrupted) {
        return new StatusReport(
                false,
                name,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                uninstalledAt,
                interrupted,
                null);
    }
}
