package dev.ferry.profiles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.common.FerryException;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Every error is one line, FILE:LINE: FIELD: what is wrong, at the place the offending value was written. */
class ProfileValidationTest {
    private final ProfileFiles files = new ProfileFiles();

    @AfterEach
    void close() throws IOException {
        files.close();
    }

    /** MINIMAL is lines 1-10; {@code extra} starts at line 11. */
    private void profile(String name, String extra) {
        files.write(name, ProfileFiles.MINIMAL + extra);
    }

    @Test
    void theMinimalProfileLoads() {
        profile("p.yaml", "");
        Profile profile = files.load("p.yaml");
        assertThat(profile.agent())
                .isEqualTo(new Profile.Agent("bot", "1.0.0", "/work/runtime", List.of("/usr/bin/run")));
        assertThat(profile.proxy()).isNull();
    }

    @Test
    void aMistypedFieldIsRejectedWithTheClosestKnownName() {
        profile("p.yaml", "platfrom:\n  endpoint: https://x.example\n");
        files.assertError("p.yaml", "p.yaml:11: platfrom: unknown field; did you mean 'platform'?");
    }

    @Test
    void aMistypedNestedFieldNamesItsFullPath() {
        files.write("p.yaml", ProfileFiles.MINIMAL.replace("  version: 1.0.0", "  verison: 1.0.0"));
        files.assertError("p.yaml", "p.yaml:4: agent.verison: unknown field; did you mean 'version'?");
    }

    @Test
    void anUnknownFieldFarFromAnyNameListsTheKnownOnes() {
        profile("p.yaml", "service:\n  colour: blue\n");
        // 'service' appears twice at the top level: that is a duplicate key first.
        files.assertError("p.yaml", "p.yaml:11: service: duplicate key (first written on line 7)");
        files.write(
                "q.yaml",
                ProfileFiles.MINIMAL.replace("  name: bot\nplatform", "  name: bot\n  colour: blue\nplatform"));
        files.assertError("q.yaml", "q.yaml:9: service.colour: unknown field; known fields: name, user");
    }

    @Test
    void anErrorInAnInheritedValuePointsIntoTheParentFile() {
        files.write("base.yaml", ProfileFiles.MINIMAL + """
                targets:
                  - { name: ldap, host: ldap.example, port: 636, probe: tls }
                  - name: ssh
                    host: 10.0.0.1
                    port: 70000
                """);
        files.write("child.yaml", "extends: base.yaml\nname: child\n");
        files.assertError("child.yaml", "base.yaml:15: targets[1].port: expected a whole number 1-65535, got 70000");
    }

    @Test
    void portsMustBeWholeNumbersInRange() {
        profile("zero.yaml", "targets:\n  - { name: a, host: h, port: 0 }\n");
        files.assertError("zero.yaml", "zero.yaml:12: targets[0].port: expected a whole number 1-65535, got 0");
        profile("quoted.yaml", "targets:\n  - { name: a, host: h, port: \"443\" }\n");
        files.assertError("quoted.yaml", "quoted.yaml:12: targets[0].port: expected a whole number 1-65535, got '443'");
        profile("missing.yaml", "targets:\n  - name: a\n    host: h\n");
        files.assertError("missing.yaml", "missing.yaml:12: targets[0].port: required field is missing");
    }

    @Test
    void wrongTypesAreNamed() {
        files.write("exec.yaml", ProfileFiles.MINIMAL.replace("exec: [/usr/bin/run]", "exec: run"));
        files.assertError("exec.yaml", "exec.yaml:6: agent.exec: expected a list, got text");
        profile("admin.yaml", "prerequisites:\n  requireAdmin: \"yes please\"\n");
        files.assertError(
                "admin.yaml", "admin.yaml:12: prerequisites.requireAdmin: expected true or false, got 'yes please'");
        profile("agent.yaml", "");
        files.write("agent.yaml", ProfileFiles.MINIMAL.replace("service:\n  name: bot", "service: bot"));
        files.assertError("agent.yaml", "agent.yaml:7: service: expected a map of fields, got text");
    }

    @Test
    void requiredFieldsAreReportedWhereTheyShouldHaveBeen() {
        files.write(
                "p.yaml",
                ProfileFiles.MINIMAL.replace("  endpoint: https://api.example.com\n", "  healthPath: /health\n"));
        files.assertError("p.yaml", "p.yaml:9: platform.endpoint: required field is missing");
        files.write("q.yaml", ProfileFiles.MINIMAL.replace("service:\n  name: bot\n", ""));
        files.assertError("q.yaml", "q.yaml:1: service: required field is missing");
        files.write("r.yaml", ProfileFiles.MINIMAL.replace("name: demo\n", "name:\n"));
        files.assertError("r.yaml", "r.yaml:1: name: required field is missing");
    }

    @Test
    void urlsMustHaveTheExpectedScheme() {
        files.write("e.yaml", ProfileFiles.MINIMAL.replace("https://api.example.com", "http://api.example.com"));
        files.assertError(
                "e.yaml", "e.yaml:10: platform.endpoint: expected an https:// URL, got 'http://api.example.com'");
        profile("w.yaml", "  websocket: https://ws.example.com\n");
        files.assertError(
                "w.yaml",
                "w.yaml:11: platform.websocket: expected a wss:// or ws:// URL, got 'https://ws.example.com'");
        // The example of the brief, line for line: a proxy URL with a typo on line 14 of profiles/dmz.yaml.
        files.write(
                "profiles/dmz.yaml",
                ProfileFiles.MINIMAL.replace("runtime: runtime", "runtime: ../runtime")
                        + "proxy:\n  username: u\n  noProxy: [a]\n  url: htp://x\n");
        files.assertError(
                "profiles/dmz.yaml", "profiles/dmz.yaml:14: proxy.url: expected an http:// URL, got 'htp://x'");
    }

    @Test
    void anInlineProxyPasswordIsRefusedWithoutEchoingIt() {
        profile("p.yaml", "proxy:\n  url: http://proxy:3128\n  password: Hunter2-secret\n");
        files.assertError(
                "p.yaml",
                "p.yaml:13: proxy.password: an inline password is refused: put it in a file and "
                        + "name that file in proxy.passwordFile");
    }

    @Test
    void aPasswordInTheProxyUrlIsRefusedWithoutEchoingIt() {
        profile("p.yaml", "proxy:\n  url: http://svc:Hunter2-secret@proxy:3128\n");
        files.assertError(
                "p.yaml",
                "p.yaml:12: proxy.url: credentials in the URL are refused: put the user in "
                        + "proxy.username and the password in the file named by proxy.passwordFile");
        profile("typo.yaml", "proxy:\n  url: htp://svc:Hunter2-secret@proxy:3128\n");
        files.assertError(
                "typo.yaml", "typo.yaml:12: proxy.url: expected an http:// URL, got 'htp://svc:<redacted>@proxy:3128'");
    }

    @Test
    void escapeSequencesInAProfileValueAreEchoedPrintable() {
        profile("esc.yaml", "  healthPath: \"\\e[2J\\e[Hok\\u202e\"\n");
        files.assertError(
                "esc.yaml",
                "esc.yaml:11: platform.healthPath: expected a path starting with '/', got "
                        + "'\\u001b[2J\\u001b[Hok\\u202e'");
    }

    @Test
    void credentialsInThePlatformUrlsAreRefusedWithoutEchoingThem() {
        files.write(
                "e.yaml",
                ProfileFiles.MINIMAL.replace("https://api.example.com", "https://bot:Hunter2-secret@api.example.com"));
        files.assertError(
                "e.yaml",
                "e.yaml:10: platform.endpoint: credentials in the URL are refused: the agent "
                        + "authenticates with the token (--token or token.file), which travels as a secret file");
        profile("w.yaml", "  websocket: wss://Hunter2-token@ws.example.com/agent\n");
        files.assertError(
                "w.yaml",
                "w.yaml:11: platform.websocket: credentials in the URL are refused: the agent "
                        + "authenticates with the token (--token or token.file), which travels as a secret file");
        // '@' and '/' in the password make the authority unparseable: still refused as credentials, not echoed.
        profile("odd.yaml", "  websocket: wss://bot:Hun/ter@2@ws.example.com/agent\n");
        files.assertError(
                "odd.yaml",
                "odd.yaml:11: platform.websocket: credentials in the URL are refused: the agent "
                        + "authenticates with the token (--token or token.file), which travels as a secret file");
    }

    @Test
    void referencedFilesAndFoldersMustExist() {
        files.write("noruntime/p.yaml", ProfileFiles.MINIMAL);
        files.assertError(
                "noruntime/p.yaml", "noruntime/p.yaml:5: agent.runtime: folder not found: /work/noruntime/runtime");
        files.write("fileruntime/runtime", "not a folder");
        files.write("fileruntime/p.yaml", ProfileFiles.MINIMAL);
        files.assertError(
                "fileruntime/p.yaml",
                "fileruntime/p.yaml:5: agent.runtime: expected a folder, but /work/fileruntime/runtime is a file");
        profile("t.yaml", "templates:\n  - source: templates/missing.mustache\n    target: agent.yaml\n");
        files.assertError("t.yaml", "t.yaml:12: templates[0].source: file not found: /work/templates/missing.mustache");
        profile("ca.yaml", "  caFile: runtime\n");
        files.assertError(
                "ca.yaml", "ca.yaml:11: platform.caFile: expected a regular file, but /work/runtime is not one");
        profile("pw.yaml", "proxy:\n  url: http://proxy:3128\n  passwordFile: secrets/none\n");
        files.assertError("pw.yaml", "pw.yaml:13: proxy.passwordFile: file not found: /work/secrets/none");
        profile("tok.yaml", "token:\n  file: tokens/none\n");
        files.assertError("tok.yaml", "tok.yaml:12: token.file: file not found: /work/tokens/none");
    }

    @Test
    void namesMustBeSafeAsFileNames() {
        files.write("p.yaml", ProfileFiles.MINIMAL.replace("version: 1.0.0", "version: ../1.0"));
        files.assertError(
                "p.yaml",
                "p.yaml:4: agent.version: expected letters, digits, '.', '_' or '-' (starting with "
                        + "a letter or digit, at most 100 characters), got '../1.0'");
        files.write("q.yaml", ProfileFiles.MINIMAL.replace("name: demo", "name: my profile"));
        assertThatThrownBy(() -> files.load("q.yaml")).hasMessageStartingWith("q.yaml:1: name: expected letters");
    }

    @Test
    void enumeratedValuesListWhatIsAllowed() {
        profile("probe.yaml", "targets:\n  - { name: a, host: h, port: 22, probe: ping }\n");
        files.assertError("probe.yaml", "probe.yaml:12: targets[0].probe: expected one of ssh, tcp, tls, got 'ping'");
        profile("os.yaml", "prerequisites:\n  os:\n    - linux\n    - macos\n");
        files.assertError("os.yaml", "os.yaml:14: prerequisites.os[1]: expected one of linux, windows, got 'macos'");
    }

    @Test
    void tokenWindowsAreIsoInstantsInOrder() {
        profile("ok.yaml", "token:\n  notBefore: 2026-11-22T00:00:00Z\n  notAfter: 2026-11-29T00:00:00Z\n");
        assertThat(files.load("ok.yaml").token())
                .isEqualTo(new Profile.Token(
                        null, Instant.parse("2026-11-22T00:00:00Z"), Instant.parse("2026-11-29T00:00:00Z")));
        profile("bad.yaml", "token:\n  notBefore: 22/11/2026\n");
        files.assertError(
                "bad.yaml",
                "bad.yaml:12: token.notBefore: expected an ISO-8601 instant like "
                        + "2026-11-22T00:00:00Z, got '22/11/2026'");
        profile("order.yaml", "token:\n  notBefore: 2026-11-29T00:00:00Z\n  notAfter: 2026-11-22T00:00:00Z\n");
        files.assertError(
                "order.yaml",
                "order.yaml:13: token.notAfter: must be after token.notBefore "
                        + "(2026-11-29T00:00:00Z), got 2026-11-22T00:00:00Z");
    }

    @Test
    void templateTargetsStayInsideTheConfigFolder() {
        files.write("templates/a.mustache", "a");
        profile("p.yaml", "templates:\n  - source: templates/a.mustache\n    target: ../../etc/passwd\n");
        files.assertError(
                "p.yaml",
                "p.yaml:13: templates[0].target: expected a file name inside the config folder, "
                        + "got '../../etc/passwd'");
    }

    @Test
    void aYamlSyntaxErrorNamesFileAndLine() {
        files.write("p.yaml", "name: demo\nagent:\n  name: bot\n version: 1\n");
        assertThatThrownBy(() -> files.load("p.yaml"))
                .isInstanceOf(FerryException.class)
                .hasMessageStartingWith("p.yaml:4: (syntax): invalid YAML: ")
                .hasMessageNotContaining("\n")
                .satisfies(
                        e -> assertThat(((FerryException) e).exitCode().code()).isEqualTo(2));
    }

    @Test
    void aMissingOrEmptyProfileFileIsOneLineNamingIt() {
        files.assertError("nope.yaml", "profile nope.yaml: not found");
        files.assertError("runtime", "profile runtime: is a folder, not a profile file");
        files.write("empty.yaml", "");
        files.assertError("empty.yaml", "empty.yaml:1: (profile): the file is empty");
        files.write("list.yaml", "- a\n- b\n");
        files.assertError("list.yaml", "list.yaml:1: (profile): expected a map of fields at the top level, got a list");
    }
}
