package dev.ferry.profiles;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/**
 * A resolved profile (SPEC section 3): {@code extends} already merged. File references are strings: absolute paths
 * after {@code ProfileLoader} resolved them against the file that named them, bundle paths ({@code payload/...})
 * inside a manifest. Optional sections are null when absent.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Profile(
        String name,
        Agent agent,
        Service service,
        Platform platform,
        Proxy proxy,
        List<Template> templates,
        Token token,
        Prerequisites prerequisites,
        List<Target> targets,
        BundleSettings bundle) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Agent(String name, String version, String runtime, List<String> exec) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Service(String name, String user) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Platform(String endpoint, String healthPath, String websocket, String caFile) {}

    /** The proxy password is never inline: {@code passwordFile} names it and it travels as a secret. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Proxy(String url, String username, String passwordFile, List<String> noProxy) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Template(String source, String target) {}

    /** Only what locates and bounds the token; its secret content never enters a profile. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Token(String file, Instant notBefore, Instant notAfter) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Prerequisites(
            List<String> os,
            Boolean requireAdmin,
            Long minFreeDiskMb,
            Long maxClockSkewSeconds,
            List<String> ntpServers) {}

    /** An internal system the agent must reach; {@code probe} is tcp, tls or ssh ({@code ProfileLoader} fills in tcp when absent). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Target(String name, String host, int port, String probe, Integer timeoutSeconds) {}

    /**
     * {@code validityDays} null means "use the default" (90 days, SPEC section 2); {@code sequence} null means
     * "use the default" (createdAt in seconds since 1970, unless {@code bundler create --sequence} says otherwise).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record BundleSettings(Integer validityDays, Long sequence) {}
}
