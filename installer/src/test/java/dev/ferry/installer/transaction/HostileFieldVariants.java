package dev.ferry.installer.transaction;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.bundle.BundleLayout;
import dev.ferry.bundle.FileEntry;
import dev.ferry.bundle.Manifest;
import dev.ferry.bundle.ManifestCodec;
import dev.ferry.bundle.PayloadPaths;
import dev.ferry.bundle.TokenInfo;
import dev.ferry.bundle.testing.RawBundleWriter;
import dev.ferry.common.FerryException;
import dev.ferry.profiles.ConfigTemplates;
import dev.ferry.profiles.Profile;
import dev.ferry.profiles.ProfileJson;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * Hostile variants of every host-facing profile field (and of a template's text) put into a manifest, and which of
 * them the bundle verifier accepts: what the installer-side agreement tests feed to the installer's own code.
 */
public final class HostileFieldVariants {
    public static final String TEMPLATE = BundleLayout.TEMPLATES + "agent.yaml.mustache";
    public static final String GOOD_TEXT =
            "endpoint: {{platform.endpoint}}\nproxy: {{proxy.url}}\nca: {{platform.caFile}}\n"
                    + "{{#proxy.noProxyList}}- {{.}}\n{{/proxy.noProxyList}}token: {{tokenFile}}\nname: {{profile.name}}\n";
    /** What hostile values are made of: line breaks, escapes, separators, quoting, template braces, look-alikes. */
    private static final String[] PIECES = {
        "\n",
        "\r",
        "\t",
        " ",
        "\u001b",
        "\u0085",
        "\u202e",
        "\u200b",
        ":",
        "/",
        "\\",
        "@",
        "{{",
        "}}",
        "{{nope}}",
        "{{#platform}}",
        "{{/platform}}",
        "{{>x}}",
        "%",
        "$",
        "\"",
        "'",
        ";",
        "[",
        "]",
        ".",
        "..",
        "-",
        "_",
        "*",
        "#",
        "a",
        "Z",
        "0",
        "9",
        "\u00e9",
        "?",
        "&",
        "=",
        ",",
        "\u0000",
        "../",
        "C:\\",
        "token",
        "%n",
        "${X}",
        "$(id)"
    };

    public static final List<String> FIELDS = List.of(
            "name",
            "agent.name",
            "agent.version",
            "agent.exec[0]",
            "agent.exec[1]",
            "service.name",
            "service.user",
            "platform.endpoint",
            "platform.healthPath",
            "platform.websocket",
            "proxy.url",
            "proxy.username",
            "proxy.noProxy[0]",
            "proxy.noProxy[1]",
            "templates[0].target",
            "targets[0].name",
            "targets[0].host",
            "targets[0].probe",
            "prerequisites.ntpServers[0]",
            "prerequisites.os[0]",
            "token.id",
            "template text");

    /**
     * One variant the verifier accepted: the field, the hostile value, the decoded manifest and profile, the template
     * text.
     */
    public record Accepted(String field, String value, Manifest manifest, Profile profile, String templateText) {}

    private final Random random;

    public HostileFieldVariants(long seed) {
        this.random = new Random(seed);
    }

    /** The next variant of a random field, if the verifier's manifest rules and its template check accept it; else null. */
    public Accepted next() {
        return next(FIELDS.get(random.nextInt(FIELDS.size())));
    }

    /** As {@link #next()} for {@code field}. */
    public Accepted next(String field) {
        ObjectNode profile = (ObjectNode) ProfileJson.toJson(goodProfile());
        String text = GOOD_TEXT;
        String tokenId = "tok-1";
        String value = hostile(field.equals("template text") ? GOOD_TEXT : current(profile, field, tokenId));
        if (field.equals("template text")) {
            text = value;
        } else if (field.equals("token.id")) {
            tokenId = value;
        } else {
            set(profile, field, value);
        }
        Manifest manifest;
        try {
            manifest = ManifestCodec.decode(ManifestCodec.encode(manifest(profile, text, tokenId)), "agreement");
        } catch (FerryException refused) {
            return null;
        }
        Profile decoded = ProfileJson.fromJson(manifest.profile());
        if (ConfigTemplates.problem("agent.yaml.mustache", text, decoded) != null) {
            return null; // the verifier's template check, as it streams the file
        }
        return new Accepted(field, value, manifest, decoded, text);
    }

    /** The good variant: every field set, as {@code bundler create} makes it. */
    public static Accepted baseline() {
        Manifest m = ManifestCodec.decode(
                ManifestCodec.encode(manifest(ProfileJson.toJson(goodProfile()), GOOD_TEXT, "tok-1")), "baseline");
        return new Accepted("none", "", m, ProfileJson.fromJson(m.profile()), GOOD_TEXT);
    }

    private static Profile goodProfile() {
        return new Profile(
                "test-segment",
                new Profile.Agent(
                        "sample-bot",
                        "1.1.0",
                        "payload/runtime",
                        List.of("{{installDir}}/runtime/bin/agent", "--config", "{{configDir}}/agent.yaml")),
                new Profile.Service("sample-bot", "sample"),
                new Profile.Platform(
                        "https://api.example", "/health", "wss://ws.example/agent", BundleLayout.PLATFORM_CA),
                new Profile.Proxy(
                        "http://proxy.example:3128",
                        "svc",
                        BundleLayout.PROXY_PASSWORD,
                        List.of(".corp.example", "10.0.0.0/8")),
                List.of(new Profile.Template(TEMPLATE, "agent.yaml")),
                null,
                new Profile.Prerequisites(List.of("linux"), true, 10L, 60L, List.of("ntp.example")),
                List.of(new Profile.Target("ldap", "ldap.example", 636, "tls", 5)),
                null);
    }

    private static Manifest manifest(JsonNode profile, String templateText, String tokenId) {
        List<FileEntry> files = new ArrayList<>(List.of(
                RawBundleWriter.entryFor(
                        "payload/runtime/bin/agent", "#!/bin/sh\n".getBytes(StandardCharsets.UTF_8), "0755"),
                RawBundleWriter.entryFor(BundleLayout.PLATFORM_CA, "ca\n".getBytes(StandardCharsets.UTF_8), "0644"),
                RawBundleWriter.entryFor(BundleLayout.PROXY_PASSWORD, "pw\n".getBytes(StandardCharsets.UTF_8), "0600"),
                RawBundleWriter.entryFor(BundleLayout.TOKEN, "token\n".getBytes(StandardCharsets.UTF_8), "0600"),
                RawBundleWriter.entryFor(TEMPLATE, templateText.getBytes(StandardCharsets.UTF_8), "0644")));
        files.sort(Comparator.comparing(FileEntry::path, PayloadPaths.ORDER));
        Instant created = Instant.parse("2026-11-22T10:00:00Z");
        return new Manifest(
                Manifest.FORMAT,
                "sample-bot",
                "1.1.0",
                6,
                created,
                created.plusSeconds(90L * 86400),
                profile,
                new TokenInfo(tokenId, created, created.plusSeconds(30L * 86400), BundleLayout.TOKEN),
                files);
    }

    /** A hostile variant of {@code good}: pieces inserted into it, or a value made of pieces only. */
    private String hostile(String good) {
        StringBuilder value = new StringBuilder(random.nextInt(4) == 0 ? "" : good);
        int pieces = 1 + random.nextInt(3);
        for (int i = 0; i < pieces; i++) {
            value.insert(random.nextInt(value.length() + 1), PIECES[random.nextInt(PIECES.length)]);
        }
        return value.toString();
    }

    private static String current(ObjectNode profile, String field, String tokenId) {
        if (field.equals("token.id")) {
            return tokenId;
        }
        JsonNode node = profile;
        for (String step : steps(field)) {
            node = step.matches("\\d+") ? node.get(Integer.parseInt(step)) : node.get(step);
        }
        return node.asText();
    }

    private static void set(ObjectNode profile, String field, String value) {
        List<String> steps = steps(field);
        JsonNode parent = profile;
        for (String step : steps.subList(0, steps.size() - 1)) {
            parent = step.matches("\\d+") ? parent.get(Integer.parseInt(step)) : parent.get(step);
        }
        String last = steps.get(steps.size() - 1);
        if (last.matches("\\d+")) {
            ((ArrayNode) parent).set(Integer.parseInt(last), value);
        } else {
            ((ObjectNode) parent).put(last, value);
        }
    }

    private static List<String> steps(String field) {
        return List.of(field.replace("[", ".").replace("]", "").split("\\."));
    }
}
