package dev.ferry.installer.transaction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import dev.ferry.bundle.FileEntry;
import dev.ferry.common.ExitCode;
import dev.ferry.common.FerryException;
import dev.ferry.installer.host.HostLayout;
import dev.ferry.installer.host.HostPaths;
import dev.ferry.profiles.Profile;
import java.io.ByteArrayInputStream;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StagingAndRenderingTest {
    private final FileSystem fs = Jimfs.newFileSystem(
            Configuration.unix().toBuilder().setAttributeViews("basic", "posix").build());
    private final HostPaths paths = new HostLayout(fs.getPath("/stage")).agent("bot");
    private final Path staging = paths.releasesDir().resolve(".staging-1.0-1-abc");

    @AfterEach
    void close() throws Exception {
        fs.close();
    }

    @Test
    void payloadLandsUnderStagingWithItsModeAndSecretsAre0600() throws Exception {
        StagingSink sink = new StagingSink(staging);
        sink.accept(
                new FileEntry("payload/runtime/bin/agent", 3, "x", "0755"), new ByteArrayInputStream("abc".getBytes()));
        sink.accept(new FileEntry("payload/secrets/token", 3, "x", "0644"), new ByteArrayInputStream("tok".getBytes()));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(staging.resolve("runtime/bin/agent"))))
                .isEqualTo("rwxr-xr-x");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(staging.resolve("secrets/token"))))
                .isEqualTo("rw-------");
    }

    @Test
    void theSinkRefusesEveryPathThatWouldLeaveStaging() {
        StagingSink sink = new StagingSink(staging);
        for (String bad : List.of(
                "payload/../../etc/passwd",
                "payload/runtime/../../../x",
                "/etc/passwd",
                "runtime/agent",
                "payload/",
                "payload/manifest.json",
                "payload/..\\x")) {
            assertThatThrownBy(() ->
                            sink.accept(new FileEntry(bad, 1, "x", "0644"), new ByteArrayInputStream(new byte[1])))
                    .as(bad)
                    .isInstanceOf(FerryException.class)
                    .satisfies(e -> assertThat(((FerryException) e).exitCode()).isEqualTo(ExitCode.VERIFICATION));
        }
        assertThat(fs.getPath("/etc/passwd")).doesNotExist();
    }

    @Test
    void templatesAndExecRenderWithInstalledPathsAndNoHtmlEscaping() throws Exception {
        Files.createDirectories(staging.resolve("templates"));
        Files.writeString(
                staging.resolve("templates/agent.yaml.mustache"),
                "endpoint: {{platform.endpoint}}\nca: {{platform.caFile}}\nproxy: {{proxy.url}} as {{proxy.username}} pw {{proxy.passwordFile}}\nprofile: {{profile.name}}\n");
        Profile profile = profile("templates/agent.yaml.mustache");
        RenderedConfig config = RenderedConfig.render(profile, staging, paths);
        assertThat(new String(config.files().get("agent.yaml")))
                .isEqualTo("endpoint: https://api.example/?a=1&b=2\nca: /stage/etc/ferry/bot/platform-ca.pem\n"
                        + "proxy: http://proxy:3128 as svc pw /stage/etc/ferry/bot/proxy-password\nprofile: dmz\n");
        assertThat(config.exec())
                .containsExactly(
                        "/stage/opt/ferry/bot/current/runtime/bin/agent",
                        "--config",
                        "/stage/etc/ferry/bot/agent.yaml");
    }

    @Test
    void aMissingVariableIsAUsageErrorNamingTheTemplateAndTheVariable() throws Exception {
        Files.createDirectories(staging.resolve("templates"));
        Files.writeString(staging.resolve("templates/agent.yaml.mustache"), "a: 1\nws: {{platform.websocket}}\n");
        assertThatThrownBy(() -> RenderedConfig.render(profile("templates/agent.yaml.mustache"), staging, paths))
                .isInstanceOf(FerryException.class)
                .hasMessageContaining("payload/templates/agent.yaml.mustache")
                .hasMessageContaining("platform.websocket")
                .hasMessageContaining("line 2");
    }

    @Test
    void proxyEnvCarriesNoCredentials() {
        String env = ConfigWriter.proxyEnv(new Profile.Proxy(
                "http://svc:pw@proxy:3128", "svc", "payload/secrets/proxy-password", List.of(".corp", "10.0.0.0/8")));
        assertThat(env).isEqualTo("HTTPS_PROXY=http://proxy:3128\nNO_PROXY=.corp,10.0.0.0/8\n");
    }

    private static Profile profile(String template) {
        return new Profile(
                "dmz",
                new Profile.Agent(
                        "bot",
                        "1.0",
                        "payload/runtime/",
                        List.of("{{installDir}}/runtime/bin/agent", "--config", "{{configDir}}/agent.yaml")),
                null,
                new Profile.Platform("https://api.example/?a=1&b=2", "/health", null, "payload/config/platform-ca.pem"),
                new Profile.Proxy("http://proxy:3128", "svc", "payload/secrets/proxy-password", null),
                List.of(new Profile.Template("payload/" + template, "agent.yaml")),
                null,
                null,
                null,
                null);
    }
}
