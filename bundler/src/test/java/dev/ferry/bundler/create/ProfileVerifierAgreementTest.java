package dev.ferry.bundler.create;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.bundle.BundleVerifier;
import dev.ferry.bundle.Manifest;
import dev.ferry.bundle.PayloadSink;
import dev.ferry.bundle.hostile.GenuineBundle;
import dev.ferry.bundle.testing.TestKeys;
import dev.ferry.bundler.sbom.ExampleBundles;
import dev.ferry.common.ExitCode;
import dev.ferry.common.FerryException;
import dev.ferry.common.Reason;
import dev.ferry.keys.SigningKey;
import dev.ferry.profiles.ProfileLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 21, one validator, from the connected side: the profile loader ({@code bundler create}) and the bundle
 * verifier consult one table of host-field rules, so they agree both ways on the repository's example profiles. Every
 * example segment makes a bundle the verifier accepts; and each hostile value of a host-facing field, written into a
 * profile that extends an example, is refused by {@code create} up front (exit 2, naming the file, the line and the
 * field), while the same value in that example's signed manifest is refused by the verifier (exit 3, naming the field).
 */
class ProfileVerifierAgreementTest {
    private static final Clock NOW = Clock.fixed(ExampleBundles.NOW.plusSeconds(3600), ZoneOffset.UTC);

    @TempDir
    static Path work;

    static ExampleBundles examples;
    static SigningKey key;
    static GenuineBundle dmzEast;

    /** One host-facing field: the YAML lines of a child profile that sets it, and the same edit of a manifest's profile. */
    record Case(String field, Reason reason, String yaml, Consumer<ObjectNode> manifest) {}

    static final List<Case> CASES = List.of(
            new Case("name", Reason.UNSAFE_FIELD, "name: \"dmz\\nX=1\"", p -> p.put("name", "dmz\nX=1")),
            new Case(
                    "agent.exec[1]",
                    Reason.UNSAFE_FIELD,
                    "agent: {exec: [\"{{installDir}}/runtime/bin/agent\", \"--x\\e]0;t\\a\"]}",
                    p -> exec(p, "{{installDir}}/runtime/bin/agent", "--x\u001b]0;t\u0007")),
            new Case(
                    "agent.exec[1]",
                    Reason.UNSAFE_FIELD,
                    "agent: {exec: [\"{{installDir}}/runtime/bin/agent\", \"{{token}}\"]}",
                    p -> exec(p, "{{installDir}}/runtime/bin/agent", "{{token}}")),
            new Case(
                    "agent.exec[0]",
                    Reason.UNSAFE_FIELD,
                    "agent: {exec: [agent, --once]}",
                    p -> exec(p, "agent", "--once")),
            new Case(
                    "service.name",
                    Reason.UNSAFE_FIELD,
                    "service: {name: \"bot@x\"}",
                    p -> obj(p, "service").put("name", "bot@x")),
            new Case(
                    "service.user",
                    Reason.UNSAFE_FIELD,
                    "service: {user: \"root\\nExecStartPre=/bin/sh\"}",
                    p -> obj(p, "service").put("user", "root\nExecStartPre=/bin/sh")),
            new Case(
                    "service.user",
                    Reason.UNSAFE_FIELD,
                    "service: {user: \"bob;id\"}",
                    p -> obj(p, "service").put("user", "bob;id")),
            new Case(
                    "platform.healthPath",
                    Reason.UNSAFE_FIELD,
                    "platform: {healthPath: \"/health HTTP/1.1\"}",
                    p -> obj(p, "platform").put("healthPath", "/health HTTP/1.1")),
            new Case(
                    "platform.websocket",
                    Reason.UNSAFE_FIELD,
                    "platform: {websocket: \"ftp://ws.example\"}",
                    p -> obj(p, "platform").put("websocket", "ftp://ws.example")),
            new Case(
                    "proxy.username",
                    Reason.UNSAFE_FIELD,
                    "proxy: {username: \"svc:pw\"}",
                    p -> obj(p, "proxy").put("username", "svc:pw")),
            new Case(
                    "proxy.noProxy[1]",
                    Reason.UNSAFE_FIELD,
                    "proxy: {noProxy: [.corp.example, \"x\\nLD_PRELOAD=/tmp/x.so\"]}",
                    p -> obj(p, "proxy")
                            .putArray("noProxy")
                            .add(".corp.example")
                            .add("x\nLD_PRELOAD=/tmp/x.so")),
            new Case(
                    "templates[0].target",
                    Reason.UNSAFE_PATH,
                    "templates: [{source: templates/agent.yaml.mustache, target: \"a\\\\..\\\\..\\\\x\"}]",
                    p -> ((ObjectNode) p.get("templates").get(0)).put("target", "a\\..\\..\\x")),
            new Case(
                    "templates[0].target",
                    Reason.UNSAFE_PATH,
                    "templates: [{source: templates/agent.yaml.mustache, target: proxy.env}]",
                    p -> ((ObjectNode) p.get("templates").get(0)).put("target", "proxy.env")),
            new Case(
                    "targets[0].host",
                    Reason.UNSAFE_FIELD,
                    "targets: [{name: ldap, host: \"ldap.example;id\", port: 636, probe: tls}]",
                    p -> ((ObjectNode) p.get("targets").get(0)).put("host", "ldap.example;id")),
            new Case(
                    "prerequisites.ntpServers[0]",
                    Reason.UNSAFE_FIELD,
                    "prerequisites: {ntpServers: [\"ntp.example:0\"]}",
                    p -> obj(p, "prerequisites").putArray("ntpServers").add("ntp.example:0")));

    @BeforeAll
    static void bundleTheExamples() {
        examples = new ExampleBundles(work.resolve("examples"));
        key = TestKeys.generate();
        Path bundle = examples.create(
                        "dmz-east.yaml", work.resolve("out"), ExampleBundles.NOW.getEpochSecond(), List.of(key))
                .path();
        dmzEast = GenuineBundle.read(bundle, key);
    }

    @Test
    void everyExampleSegmentMakesABundleTheVerifierAccepts() {
        assertThat(ExampleBundles.segmentProfiles()).contains("datacenter.yaml", "dmz-east.yaml");
        for (String profile : ExampleBundles.segmentProfiles()) {
            Path bundle = examples.create(
                            profile, work.resolve("out-" + profile), ExampleBundles.NOW.getEpochSecond(), List.of(key))
                    .path();
            Manifest m = verifier().verify(bundle, PayloadSink.discard()).manifest();
            assertThat(m.name()).as(profile).isEqualTo("certinext-bot");
        }
    }

    @Test
    void createAndVerifyRefuseTheSameHostileFieldsEachNamingTheField() throws IOException {
        for (int i = 0; i < CASES.size(); i++) {
            Case c = CASES.get(i);
            Path child = Files.writeString(
                    examples.profile("hostile-" + i + ".yaml"), "extends: dmz-east.yaml\n" + c.yaml() + "\n");
            FerryException byCreate = catchThrowableOfType(() -> ProfileLoader.load(child), FerryException.class);
            assertThat(byCreate)
                    .as("create refuses %s: %s", c.field(), c.yaml())
                    .isNotNull();
            assertThat(byCreate.exitCode()).isEqualTo(ExitCode.USAGE);
            assertThat(byCreate.getMessage())
                    .as(c.field())
                    .matches(".*/hostile-" + i + "\\.yaml:\\d+: " + Pattern.quote(c.field()) + ": .*")
                    .doesNotContain("\n", "\u001b");

            ObjectNode profile = dmzEast.manifest().profile().deepCopy();
            c.manifest().accept(profile);
            Manifest m = dmzEast.manifest();
            Path bundle = dmzEast.payload(dmzEast.head(new Manifest(
                            m.format(),
                            m.name(),
                            m.version(),
                            m.sequence(),
                            m.createdAt(),
                            m.expiresAt(),
                            profile,
                            m.token(),
                            m.files(),
                            m.base())))
                    .endOfArchive()
                    .writeTo(work.resolve("hostile-" + i + ".bundle.tar.zst"));
            FerryException byVerify =
                    catchThrowableOfType(() -> verifier().verify(bundle, PayloadSink.discard()), FerryException.class);
            assertThat(byVerify).as("verify refuses %s", c.field()).isNotNull();
            assertThat(byVerify.exitCode()).isEqualTo(ExitCode.VERIFICATION);
            assertThat(byVerify.reason()).as(byVerify.getMessage()).isEqualTo(c.reason());
            assertThat(byVerify.getMessage())
                    .contains("profile." + c.field() + ": ")
                    .doesNotContain("\n", "\u001b");
        }
    }

    @Test
    void createRefusesATemplateThatWouldNotRenderOnTheHost() throws IOException {
        Files.writeString(
                examples.profile("templates/bad.mustache"), "ok: {{platform.endpoint}}\nno: {{proxy.password}}\n");
        Path child = Files.writeString(
                examples.profile("bad-template.yaml"),
                "extends: dmz-east.yaml\ntemplates: [{source: templates/bad.mustache, target: agent.yaml}]\n");
        FerryException e = catchThrowableOfType(() -> ProfileLoader.load(child), FerryException.class);
        assertThat(e.getMessage())
                .matches(
                        ".*/bad-template\\.yaml:2: templates\\[0\\]\\.source: template bad\\.mustache: no variable .*");
    }

    private static BundleVerifier verifier() {
        return new BundleVerifier(TestKeys.trust(key), NOW);
    }

    private static ObjectNode obj(ObjectNode profile, String section) {
        return (ObjectNode) profile.get(section);
    }

    private static void exec(ObjectNode profile, String... args) {
        var exec = obj(profile, "agent").putArray("exec");
        for (String arg : args) {
            exec.add(arg);
        }
    }
}
