package dev.ferry.profiles;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ProfileExtendsTest {
    private final ProfileFiles files = new ProfileFiles();

    @AfterEach
    void close() throws IOException {
        files.close();
    }

    @Test
    void mapsMergeDeeplyWhileListsAndScalarsOfTheChildReplaceTheParents() {
        files.write("base.yaml", ProfileFiles.MINIMAL + """
                prerequisites:
                  os: [linux, windows]
                  requireAdmin: true
                  minFreeDiskMb: 512
                  ntpServers: [ntp1, ntp2]
                """);
        files.write("child.yaml", """
                extends: base.yaml
                name: child
                agent:
                  version: 2.0.0
                prerequisites:
                  os: [linux]
                  minFreeDiskMb: 64
                """);

        Profile profile = files.load("child.yaml");

        assertThat(profile.name()).isEqualTo("child");
        assertThat(profile.agent().name()).as("inherited inside a merged map").isEqualTo("bot");
        assertThat(profile.agent().version()).as("scalar replaced").isEqualTo("2.0.0");
        assertThat(profile.agent().exec()).isEqualTo(List.of("/usr/bin/run"));
        assertThat(profile.prerequisites().os())
                .as("list replaced, not appended")
                .containsExactly("linux");
        assertThat(profile.prerequisites().requireAdmin()).isTrue();
        assertThat(profile.prerequisites().minFreeDiskMb()).isEqualTo(64L);
        assertThat(profile.prerequisites().ntpServers()).containsExactly("ntp1", "ntp2");
    }

    @Test
    void anExplicitNullInTheChildRemovesAnInheritedSection() {
        files.write("secrets/pw", "x");
        files.write("base.yaml", ProfileFiles.MINIMAL + """
                proxy:
                  url: http://proxy:3128
                  passwordFile: secrets/pw
                """);
        files.write("direct.yaml", "extends: base.yaml\nproxy: ~\n");

        assertThat(files.load("base.yaml").proxy()).isNotNull();
        assertThat(files.load("direct.yaml").proxy()).isNull();
    }

    @Test
    void threeLevelsMergeInOrderGrandparentParentChild() {
        files.folder("org/runtime");
        files.write(
                "org/root.yaml",
                ProfileFiles.MINIMAL.replace("service:\n  name: bot\n", "service:\n  name: bot\n  user: from-root\n")
                        + """
                bundle:
                  validityDays: 30
                  sequence: 1
                """);
        files.write("org/region/middle.yaml", """
                extends: ../root.yaml
                name: middle
                bundle:
                  validityDays: 60
                """);
        files.write("org/region/site/leaf.yaml", """
                extends: ../middle.yaml
                service:
                  name: leaf-svc
                """);

        Profile profile = files.load("org/region/site/leaf.yaml");

        assertThat(profile.name()).isEqualTo("middle");
        assertThat(profile.service()).isEqualTo(new Profile.Service("leaf-svc", "from-root"));
        assertThat(profile.bundle()).isEqualTo(new Profile.BundleSettings(60, 1L));
    }

    @Test
    void relativePathsResolveAgainstTheFileThatNamesThemNotTheChild() {
        files.folder("shared/runtime/bot");
        files.write("shared/templates/agent.yaml.mustache", "x: 1");
        files.write("shared/ca.pem", "ca");
        files.write("sites/east/secrets/pw", "pw");
        files.write("shared/base.yaml", """
                name: base
                agent:
                  name: bot
                  version: 1.0.0
                  runtime: runtime/bot
                  exec: [/usr/bin/run]
                service:
                  name: bot
                platform:
                  endpoint: https://api.example.com
                  caFile: ./ca.pem
                templates:
                  - source: templates/agent.yaml.mustache
                    target: agent.yaml
                """);
        files.write("sites/east/east.yaml", """
                extends: ../../shared/base.yaml
                name: east
                proxy:
                  url: http://proxy:3128
                  passwordFile: secrets/pw
                """);

        Profile profile = files.load("sites/east/east.yaml");

        assertThat(profile.agent().runtime()).isEqualTo("/work/shared/runtime/bot");
        assertThat(profile.templates())
                .containsExactly(new Profile.Template("/work/shared/templates/agent.yaml.mustache", "agent.yaml"));
        assertThat(profile.platform().caFile()).isEqualTo("/work/shared/ca.pem");
        assertThat(profile.proxy().passwordFile())
                .as("written in east.yaml, so relative to it")
                .isEqualTo("/work/sites/east/secrets/pw");
    }

    @Test
    void aCycleOfExtendsIsReportedWithTheWholeChain() {
        files.write("a.yaml", ProfileFiles.MINIMAL + "extends: b.yaml\n");
        files.write("b.yaml", "# b\nextends: c.yaml\n");
        files.write("c.yaml", "extends: a.yaml\n");

        files.assertError("a.yaml", "c.yaml:1: extends: cycle of extends: a.yaml -> b.yaml -> c.yaml -> a.yaml");
    }

    @Test
    void aProfileThatExtendsItselfIsACycle() {
        files.write("self.yaml", "extends: ./self.yaml\n");

        files.assertError("self.yaml", "self.yaml:1: extends: cycle of extends: self.yaml -> self.yaml");
    }

    @Test
    void aMissingParentIsReportedWhereExtendsNamesIt() {
        files.write("child.yaml", "name: x\nextends: nowhere.yaml\n");

        files.assertError("child.yaml", "child.yaml:2: extends: parent profile nowhere.yaml not found");
    }
}
