package dev.ferry.profiles;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.UncheckedIOException;

/** A resolved {@link Profile} as YAML for people ({@code bundler profile show}), with secrets redacted. */
public final class ProfileYaml {
    private static final YAMLMapper MAPPER = YAMLMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
            .build();

    private ProfileYaml() {}

    public static String toYaml(Profile profile) {
        try {
            return MAPPER.writeValueAsString(redacted(profile));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The profile with nothing secret left in it. The loader already refuses inline passwords and passwords in
     * the proxy URL; this also covers a profile built in code or read from elsewhere. File references stay:
     * they name where a secret is, not the secret.
     */
    public static Profile redacted(Profile profile) {
        Profile.Proxy proxy = profile.proxy();
        if (proxy == null || proxy.url() == null) {
            return profile;
        }
        Profile.Proxy safe =
                new Profile.Proxy(Redaction.url(proxy.url()), proxy.username(), proxy.passwordFile(), proxy.noProxy());
        return new Profile(
                profile.name(),
                profile.agent(),
                profile.service(),
                profile.platform(),
                safe,
                profile.templates(),
                profile.token(),
                profile.prerequisites(),
                profile.targets(),
                profile.bundle());
    }
}
