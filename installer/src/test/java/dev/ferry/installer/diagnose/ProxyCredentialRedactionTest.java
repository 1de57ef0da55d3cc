package dev.ferry.installer.diagnose;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19 item 11: every form a proxy variable's credentials can take, passwords Ferry never saw (so redaction by
 * known secret cannot help), through the process environment ({@code network.txt}) and an env file in the config
 * folder. No password may survive anywhere in the archive; the host and port stay for the support engineer.
 */
class ProxyCredentialRedactionTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-23T10:00:00Z"), ZoneOffset.UTC);

    /** Variable, value, the password inside it (as it appears in the value). */
    private static final List<String[]> FORMS = List.of(
            new String[] {"HTTPS_PROXY", "http://svc:Plain-pw-1@proxy.corp:3128", "Plain-pw-1"},
            new String[] {"https_proxy", "svc:NoScheme-pw-2@proxy.corp:3128", "NoScheme-pw-2"},
            new String[] {"HTTP_PROXY", "http://svc:Sla/sh-pw-3@proxy.corp:3128/", "Sla/sh-pw-3"},
            new String[] {"http_proxy", "http://svc:At@sign@pw-4@proxy.corp:3128", "At@sign@pw-4"},
            new String[] {"ALL_PROXY", "socks5://svc:Mixed/@pw-5@proxy.corp:1080", "Mixed/@pw-5"},
            new String[] {"all_proxy", "svc:Enc%40oded%2Fpw-6@proxy.corp:3128", "Enc%40oded%2Fpw-6"},
            new String[] {"FTP_PROXY", "http://OnlyAToken-pw-7@proxy.corp:3128", "OnlyAToken-pw-7"},
            new String[] {"Https_Proxy", "HTTP://svc:Case-pw-8@proxy.corp:3128", "Case-pw-8"},
            new String[] {"npm_config_https_proxy", "http://svc:Npm-pw-9@proxy.corp:3128", "Npm-pw-9"});

    @TempDir
    Path tmp;

    @Test
    void everyCredentialFormOfAProxyVariableIsRedactedInTheEnvironmentAndInConfigFiles() throws IOException {
        Path root = tmp.resolve("root");
        Path config = Files.createDirectories(root.resolve("etc/ferry/bot"));
        Map<String, String> environment = new LinkedHashMap<>();
        StringBuilder envFile = new StringBuilder();
        for (String[] form : FORMS) {
            environment.put(form[0], form[1]);
            envFile.append(form[0]).append('=').append(form[1]).append('\n');
            envFile.append("export ")
                    .append(form[0])
                    .append("=\"")
                    .append(form[1])
                    .append("\"\n");
        }
        Files.writeString(config.resolve("agent.env"), envFile);
        DiagnoseInputs in = new DiagnoseInputs(
                "bot",
                "host-1",
                root,
                config,
                root.resolve("var/log/ferry/bot"),
                root.resolve("var/lib/ferry/bot"),
                List.of(),
                null,
                null,
                null,
                List.of(),
                List.of(),
                environment,
                CLOCK);

        Map<String, String> archive = read(DiagnoseArchive.write(tmp.resolve("diag.tar.gz"), in));

        for (Map.Entry<String, String> file : archive.entrySet()) {
            for (String[] form : FORMS) {
                assertThat(file.getValue())
                        .as(file.getKey() + " with " + form[0] + "=" + form[1])
                        .doesNotContain(form[2]);
                // What is left of a password cut at its '@' or '/' would still give most of it away.
                for (String piece : form[2].split("[@/]|%40|%2F")) {
                    if (piece.length() >= 3) {
                        assertThat(file.getValue())
                                .as(file.getKey() + ": a piece of " + form[2])
                                .doesNotContain(piece);
                    }
                }
            }
        }
        String network = archive.get("network.txt");
        assertThat(network)
                .contains("HTTPS_PROXY=http://svc:<redacted>@proxy.corp:3128")
                .contains("https_proxy=svc:<redacted>@proxy.corp:3128")
                .contains("HTTP_PROXY=http://svc:<redacted>@proxy.corp:3128/")
                .contains("FTP_PROXY=http://<redacted>@proxy.corp:3128");
        assertThat(archive.get("config/agent.env"))
                .contains("all_proxy=svc:<redacted>@proxy.corp:3128")
                .contains("export http_proxy=\"http://svc:<redacted>@proxy.corp:3128\"");
    }

    private static Map<String, String> read(Path archive) throws IOException {
        Map<String, String> files = new LinkedHashMap<>();
        try (InputStream in = Files.newInputStream(archive);
                TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(in))) {
            for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
                if (e.isFile()) {
                    files.put(e.getName(), new String(tar.readAllBytes(), StandardCharsets.ISO_8859_1));
                }
            }
        }
        assertThat(new ArrayList<>(files.keySet())).contains("network.txt", "config/agent.env");
        return files;
    }
}
