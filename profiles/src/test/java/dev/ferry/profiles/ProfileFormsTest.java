package dev.ferry.profiles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.ferry.common.FerryException;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The JSON form the manifest embeds and the YAML form {@code bundler profile show} prints. */
class ProfileFormsTest {
    static final Profile FULL = new Profile(
            "prod-dmz-east",
            new Profile.Agent(
                    "certinext-bot",
                    "1.4.2",
                    "/p/runtime",
                    List.of("{{installDir}}/runtime/bin/agent", "--config", "{{configDir}}/agent.yaml")),
            new Profile.Service("certinext-bot", "certinext"),
            new Profile.Platform("https://api.example.com", "/health", "wss://ws.example.com/agent", "/p/ca.pem"),
            new Profile.Proxy(
                    "http://proxy.corp.example:3128", "svc", "/p/secrets/pw", List.of(".corp.example", "10.0.0.0/8")),
            List.of(new Profile.Template("/p/templates/agent.yaml.mustache", "agent.yaml")),
            new Profile.Token("/p/token", Instant.parse("2026-11-22T00:00:00Z"), Instant.parse("2026-11-29T00:00:00Z")),
            new Profile.Prerequisites(List.of("linux", "windows"), true, 512L, 60L, List.of("ntp1.corp.example")),
            List.of(
                    new Profile.Target("ldap", "ldap.corp.example", 636, "tls", null),
                    new Profile.Target("ssh", "10.0.0.1", 22, "ssh", 10)),
            new Profile.BundleSettings(null, 42L));

    @Test
    void jsonRoundTripGivesAnEqualProfile() {
        JsonNode json = ProfileJson.toJson(FULL);

        assertThat(ProfileJson.fromJson(json)).isEqualTo(FULL);
        assertThat(json.at("/token/notBefore").asText())
                .as("instants are ISO strings")
                .isEqualTo("2026-11-22T00:00:00Z");
        assertThat(json.at("/bundle").has("validityDays"))
                .as("null = use the default, left out")
                .isFalse();
    }

    @Test
    void jsonRoundTripSurvivesSerialisationToTextAndAbsentSections() throws Exception {
        Profile minimal =
                new Profile("m", FULL.agent(), FULL.service(), FULL.platform(), null, null, null, null, null, null);
        ObjectMapper plain = new ObjectMapper();
        String text = plain.writeValueAsString(ProfileJson.toJson(minimal));

        assertThat(text).doesNotContain("proxy", "null");
        assertThat(ProfileJson.fromJson(plain.readTree(text))).isEqualTo(minimal);
    }

    @Test
    void malformedJsonIsAMalformedBundle() throws Exception {
        JsonNode bad = new ObjectMapper().readTree("{\"name\":\"x\",\"token\":{\"notBefore\":\"yesterday\"}}");
        assertThatThrownBy(() -> ProfileJson.fromJson(bad))
                .isInstanceOf(FerryException.class)
                .hasMessageStartingWith("the profile in the manifest is malformed: ")
                .satisfies(
                        e -> assertThat(((FerryException) e).exitCode().code()).isEqualTo(3));
    }

    @Test
    void yamlShowsTheProfileAndReadsBackEqual() throws Exception {
        String yaml = ProfileYaml.toYaml(FULL);

        assertThat(yaml).startsWith("name: prod-dmz-east\n").contains("notBefore: 2026-11-22T00:00:00Z");
        YAMLMapper reader = YAMLMapper.builder()
                .addModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .build();
        assertThat(reader.readValue(yaml, Profile.class)).isEqualTo(FULL);
    }

    @Test
    void yamlRedactsAPasswordInTheProxyUrl() {
        Profile leaky = new Profile(
                "x",
                FULL.agent(),
                FULL.service(),
                FULL.platform(),
                new Profile.Proxy("http://svc:Hunter2-secret@proxy:3128", null, null, null),
                null,
                null,
                null,
                null,
                null);

        String yaml = ProfileYaml.toYaml(leaky);

        assertThat(yaml).doesNotContain("Hunter2").contains("http://svc:<redacted>@proxy:3128");
    }

    @Test
    void redactionLeavesUrlsWithoutCredentialsAloneAndHidesEveryFormOfThem() {
        assertThat(Redaction.url("http://proxy:3128/")).isEqualTo("http://proxy:3128/");
        assertThat(Redaction.url("proxy.corp:3128")).isEqualTo("proxy.corp:3128");
        assertThat(Redaction.url("http://u:p@ss@proxy")).isEqualTo("http://u:<redacted>@proxy");
        assertThat(Redaction.url("http://u:p/a@ss@proxy:3128/")).isEqualTo("http://u:<redacted>@proxy:3128/");
        assertThat(Redaction.url("u:secret@proxy:3128")).isEqualTo("u:<redacted>@proxy:3128");
        assertThat(Redaction.url("http://u:p%40ss@proxy")).isEqualTo("http://u:<redacted>@proxy");
        // A lone userinfo may be a token (https://TOKEN@host): hidden whole.
        assertThat(Redaction.url("https://ghp_Secret123@api.example")).isEqualTo("https://<redacted>@api.example");
    }
}
