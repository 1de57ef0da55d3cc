package dev.ferry.profiles;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.ferry.common.ExitCode;
import dev.ferry.common.FerryException;

/**
 * A {@link Profile} as plain JSON, the form the bundle manifest embeds and the installer reads back. Instants are
 * ISO-8601 strings; absent (null) fields are left out. Reading ignores fields it does not know, so an older
 * installer still reads the profile of a newer bundler (the manifest's signature already vouches for it).
 */
public final class ProfileJson {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private ProfileJson() {}

    public static JsonNode toJson(Profile profile) {
        return MAPPER.valueToTree(profile);
    }

    /** @throws FerryException exit 3 (a malformed bundle) when the JSON is not a profile */
    public static Profile fromJson(JsonNode json) {
        try {
            return MAPPER.treeToValue(json, Profile.class);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            String detail = e instanceof JsonProcessingException jpe ? jpe.getOriginalMessage() : e.getMessage();
            throw new FerryException(
                    ExitCode.VERIFICATION,
                    "the profile in the manifest is malformed: " + ProfileErrors.oneLine(detail),
                    e);
        }
    }
}
