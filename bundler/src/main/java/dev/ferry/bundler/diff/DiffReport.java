package dev.ferry.bundler.diff;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;

/**
 * What changed from one bundle to the next; {@code bundler diff --json} prints it whole.
 *
 * @param notes what could not be compared, and why
 */
public record DiffReport(
        Side old,
        @JsonProperty("new") Side current,
        Files files,
        List<ComponentChange> components,
        List<ProfileChange> profile,
        List<String> notes) {

    /** One bundle: its identity and who signed it ({@code status}: trusted, untrusted, invalid or unchecked). */
    public record Side(
            String bundle, String name, String version, long sequence, Instant createdAt, List<Signer> signers) {}

    public record Signer(String keyId, String status) {}

    public record Files(List<FileChange> added, List<FileChange> removed, List<FileChange> changed) {
        public boolean isEmpty() {
            return added.isEmpty() && removed.isEmpty() && changed.isEmpty();
        }
    }

    /** Sizes in bytes; a side where the file does not exist is null. A mode is given where it changed or is new. */
    public record FileChange(String path, Long oldSize, Long newSize, String oldMode, String newMode) {}

    /**
     * A component of the SBOM whose version changed, or that came or went (a null version on that side).
     *
     * @param id the package URL without its version where there is one ({@code pkg:maven/GROUP/ARTIFACT}), else the
     *     component's name
     */
    public record ComponentChange(String id, String type, String oldVersion, String newVersion) {}

    /** A profile field (dotted path) that changed; values are shown redacted where they could hold a secret. */
    public record ProfileChange(String field, String oldValue, String newValue) {}
}
