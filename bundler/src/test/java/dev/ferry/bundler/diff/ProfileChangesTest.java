package dev.ferry.bundler.diff;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class ProfileChangesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void changedFieldsAreDottedPathsAndValuesThatCouldHoldASecretAreRedacted() throws Exception {
        JsonNode before = JSON.readTree("""
                {"proxy": {"url": "http://a:old-pw@proxy:3128", "password": "p1", "passwordFile": "payload/secrets/proxy-password"},
                 "targets": [{"port": 636}], "unchanged": 1}""");
        JsonNode after = JSON.readTree("""
                {"proxy": {"url": "http://a:new-pw@proxy:8080", "password": "p2", "passwordFile": "payload/secrets/other"},
                 "targets": [{"port": 637}, {"port": 22}], "unchanged": 1}""");

        assertThat(ProfileChanges.of(before, after))
                .containsExactly(
                        new DiffReport.ProfileChange("proxy.password", "<redacted>", "<redacted>"),
                        new DiffReport.ProfileChange(
                                "proxy.passwordFile", "payload/secrets/proxy-password", "payload/secrets/other"),
                        new DiffReport.ProfileChange(
                                "proxy.url", "http://a:<redacted>@proxy:3128", "http://a:<redacted>@proxy:8080"),
                        new DiffReport.ProfileChange("targets[0].port", "636", "637"),
                        new DiffReport.ProfileChange("targets[1].port", null, "22"));
    }
}
