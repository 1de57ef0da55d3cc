package dev.ferry.installer.transaction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

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
import dev.ferry.common.Sanitizer;
import dev.ferry.installer.host.HostLayout;
import dev.ferry.installer.host.HostPaths;
import dev.ferry.installer.service.ServiceSpec;
import dev.ferry.installer.service.SystemdUnit;
import dev.ferry.installer.service.WindowsCommandLine;
import dev.ferry.profiles.ConfigTemplates;
import dev.ferry.profiles.Profile;
import dev.ferry.profiles.ProfileJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 21, one validator: whatever the bundle verifier accepts, the installer uses as it is. Thousands of hostile
 * variants of every host-facing profile field (and of a template's text) are put into a manifest; each one the
 * verifier's manifest rules (and its template check) accept goes through what the install does with it: the name
 * and version as folder names, template rendering and {@code agent.exec}, the service spec, the systemd unit and the
 * Windows command line, {@code proxy.env}. None may throw, and none may add a line to the unit or the environment
 * file. A check added to the install's content handling without a verify-time rule fails here as soon as a variant
 * reaches it. The other direction (every verify-time rule refuses its case, exit 3, in verify and in install) is the
 * hostile corpus's {@code fields} family, run in-process by HostileCorpusTest and through bin/installer by e2e's
 * HostileBundlesTest.
 *
 * <p>Not reached from here (they are package-private elsewhere): the self-test plan's URL parsing, the target probe
 * switch and the NTP server parser; each has its corpus case ({@code field-platform-endpoint-not-a-url},
 * {@code field-target-unknown-probe}, {@code field-ntp-server-bad-port}).
 */
class HostFieldAgreementTest {
    private static final int TRIES = 1500;
    private static final String TEMPLATE = BundleLayout.TEMPLATES + "agent.yaml.mustache";
    private static final String GOOD_TEXT = "endpoint: {{platform.endpoint}}\nproxy: {{proxy.url}}\nca: {{platform.caFile}}\n"
            + "{{#proxy.noProxyList}}- {{.}}\n{{/proxy.noProxyList}}token: {{tokenFile}}\nname: {{profile.name}}\n";
    /** What hostile values are made of: line breaks, escapes, separators, quoting, template braces, look-alikes. */
    private static final String[] PIECES = {"\n", "\r", "\t", " ", "\u001b", "\u0085", "\u202e", "\u200b", ":", "/", "\\", "@",
        "{{", "}}", "{{nope}}", "{{#platform}}", "{{/platform}}", "{{>x}}", "%", "$", "\"", "'", ";", "[", "]", ".", "..", "-", "_",
        "*", "#", "a", "Z", "0", "9", "\u00e9", "?", "&", "=", ",", "\u0000", "../", "C:\\", "token", "%n", "${X}", "$(id)"};
    private static final List<String> FIELDS = List.of("name", "agent.name", "agent.version", "agent.exec[0]", "agent.exec[1]",
            "service.name", "service.user", "platform.endpoint", "platform.healthPath", "platform.websocket", "proxy.url",
            "proxy.username", "proxy.noProxy[0]", "proxy.noProxy[1]", "templates[0].target", "targets[0].name", "targets[0].host",
            "targets[0].probe", "prerequisites.ntpServers[0]", "prerequisites.os[0]", "token.id", "template text");

    @TempDir Path work;

    @Test
    void whatTheVerifierAcceptsTheInstallerUsesAsItIs() throws IOException {
        HostPaths paths = new HostPaths(work.resolve("root"), "sample-bot");
        Baseline baseline = baseline(paths);
        Random random = new Random(21);
        int accepted = 0;
        Set<String> acceptedFields = new TreeSet<>();
        for (int i = 0; i < TRIES; i++) {
            String field = FIELDS.get(random.nextInt(FIELDS.size()));
            ObjectNode profile = (ObjectNode) ProfileJson.toJson(goodProfile());
            String text = GOOD_TEXT;
            String tokenId = "tok-1";
            String value = hostile(random, field.equals("template text") ? GOOD_TEXT : current(profile, field, tokenId));
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
                continue;
            }
            Profile decoded = ProfileJson.fromJson(manifest.profile());
            if (ConfigTemplates.problem("agent.yaml.mustache", text, decoded) != null) {
                continue; // the verifier's template check, as it streams the file
            }
            accepted++;
            acceptedFields.add(field);
            try {
                install(manifest, decoded, text, paths, baseline);
            } catch (RuntimeException | IOException | AssertionError e) {
                fail("the verifier accepted " + field + " = " + Sanitizer.quote(value) + ", but the installer: " + e, e);
            }
        }
        System.out.printf("host-field agreement: %d of %d variants accepted by the verifier, all used as they are by the installer%n",
                accepted, TRIES);
        assertThat(accepted).as("the variants also reach the installer").isGreaterThan(TRIES / 10);
        assertThat(acceptedFields).as("accepted variants of most fields").hasSizeGreaterThan(FIELDS.size() / 2);
    }

    /** What the install does with the verified manifest's host-facing fields, short of starting anything. */
    private void install(Manifest manifest, Profile profile, String text, HostPaths paths, Baseline baseline) throws IOException {
        HostLayout.requireSafe("name", manifest.name());
        HostLayout.requireSafe("version", manifest.version());
        Path release = Files.createDirectories(work.resolve("release"));
        Files.createDirectories(release.resolve("templates"));
        Files.writeString(release.resolve("templates/agent.yaml.mustache"), text, StandardCharsets.UTF_8);
        RenderedConfig config = RenderedConfig.render(profile, release, paths);
        for (String target : config.files().keySet()) {
            Path file = paths.configDir().resolve(target).normalize();
            assertThat(file.startsWith(paths.configDir()) && !file.equals(paths.tokenFile())).as(target).isTrue();
        }
        ServiceSpec spec = ServiceSpecs.of(profile, paths, config.exec());
        assertThat(keys(SystemdUnit.render(spec))).as("the unit's settings").isEqualTo(baseline.unitKeys());
        WindowsCommandLine.join(config.exec());
        String env = ConfigWriter.proxyEnv(profile.proxy());
        assertThat(keys(env)).as("proxy.env's variables").isEqualTo(baseline.envKeys());
    }

    private record Baseline(List<String> unitKeys, List<String> envKeys) {}

    private Baseline baseline(HostPaths paths) throws IOException {
        Manifest m = ManifestCodec.decode(ManifestCodec.encode(manifest((ObjectNode) ProfileJson.toJson(goodProfile()), GOOD_TEXT,
                "tok-1")), "baseline");
        Profile p = ProfileJson.fromJson(m.profile());
        Path release = Files.createDirectories(work.resolve("release"));
        Files.createDirectories(release.resolve("templates"));
        Files.writeString(release.resolve("templates/agent.yaml.mustache"), GOOD_TEXT);
        RenderedConfig config = RenderedConfig.render(p, release, paths);
        return new Baseline(keys(SystemdUnit.render(ServiceSpecs.of(p, paths, config.exec()))), keys(ConfigWriter.proxyEnv(p.proxy())));
    }

    /** The setting names of a unit or an environment file, in order: an injected line shows up as one more. */
    private static List<String> keys(String file) {
        return file.lines().filter(l -> !l.isBlank()).map(l -> l.startsWith("[") ? l : l.substring(0, Math.max(0, l.indexOf('='))))
                .toList();
    }

    private static Profile goodProfile() {
        return new Profile("test-segment",
                new Profile.Agent("sample-bot", "1.1.0", "payload/runtime",
                        List.of("{{installDir}}/runtime/bin/agent", "--config", "{{configDir}}/agent.yaml")),
                new Profile.Service("sample-bot", "sample"),
                new Profile.Platform("https://api.example", "/health", "wss://ws.example/agent", BundleLayout.PLATFORM_CA),
                new Profile.Proxy("http://proxy.example:3128", "svc", BundleLayout.PROXY_PASSWORD, List.of(".corp.example", "10.0.0.0/8")),
                List.of(new Profile.Template(TEMPLATE, "agent.yaml")),
                null,
                new Profile.Prerequisites(List.of("linux"), true, 10L, 60L, List.of("ntp.example")),
                List.of(new Profile.Target("ldap", "ldap.example", 636, "tls", 5)),
                null);
    }

    private static Manifest manifest(JsonNode profile, String templateText, String tokenId) {
        List<FileEntry> files = new ArrayList<>(List.of(
                RawBundleWriter.entryFor("payload/runtime/bin/agent", "#!/bin/sh\n".getBytes(StandardCharsets.UTF_8), "0755"),
                RawBundleWriter.entryFor(BundleLayout.PLATFORM_CA, "ca\n".getBytes(StandardCharsets.UTF_8), "0644"),
                RawBundleWriter.entryFor(BundleLayout.PROXY_PASSWORD, "pw\n".getBytes(StandardCharsets.UTF_8), "0600"),
                RawBundleWriter.entryFor(BundleLayout.TOKEN, "token\n".getBytes(StandardCharsets.UTF_8), "0600"),
                RawBundleWriter.entryFor(TEMPLATE, templateText.getBytes(StandardCharsets.UTF_8), "0644")));
        files.sort(Comparator.comparing(FileEntry::path, PayloadPaths.ORDER));
        Instant created = Instant.parse("2026-11-22T10:00:00Z");
        return new Manifest(Manifest.FORMAT, "sample-bot", "1.1.0", 6, created, created.plusSeconds(90L * 86400), profile,
                new TokenInfo(tokenId, created, created.plusSeconds(30L * 86400), BundleLayout.TOKEN), files);
    }

    /** A hostile variant of {@code good}: pieces inserted into it, or a value made of pieces only. */
    private static String hostile(Random random, String good) {
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
