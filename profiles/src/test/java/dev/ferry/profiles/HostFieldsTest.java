package dev.ferry.profiles;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The single-value rules of the one host-field table: what a host can take as it is, and what it cannot. */
class HostFieldsTest {
    @Test
    void accountsAreWhatUseraddAndDirectoriesMakeAndNothingAUnitFileWouldSplit() {
        for (String ok : List.of("certinext", "_svc", "svc-bot.1", "svc@corp.example", "gmsa$")) {
            assertThat(HostFields.account(ok)).as(ok).isNull();
        }
        for (String bad : List.of("root\nExecStartPre=/bin/sh", "bob;id", "a b", "1abc", "DOMAIN\\svc", "x:y", "-x")) {
            assertThat(HostFields.account(bad)).as(bad).isNotNull().doesNotContain("\n");
        }
    }

    @Test
    void noProxyEntriesAreHostsDomainsAddressesOrCidrsThatJoinIntoOneLine() {
        for (String ok :
                List.of(".corp.example", "corp.example", "10.0.0.0/8", "[::1]", "fd00::/8", "*", "localhost")) {
            assertThat(HostFields.noProxy(ok)).as(ok).isNull();
        }
        for (String bad : List.of("a,b", "a b", "x\nLD_PRELOAD=/x.so", "", "h\u00e9.example")) {
            assertThat(HostFields.noProxy(bad)).as(bad).isNotNull();
        }
    }

    @Test
    void ntpServersAreAHostWithAnOptionalPortTheClockCheckReads() {
        for (String ok :
                List.of("ntp.example", "ntp.example:123", "10.0.0.1:1123", "[fd00::1]:123", "[fd00::1]", "fd00::1")) {
            assertThat(HostFields.ntpServer(ok)).as(ok).isNull();
        }
        for (String bad :
                List.of("ntp.example:0", "ntp.example:99999", "ntp.example:", ":123", "[fd00::1]x", "ntp example")) {
            assertThat(HostFields.ntpServer(bad)).as(bad).isNotNull();
        }
    }

    @Test
    void templateTargetsStayInsideTheConfigFolderAndOffTheInstallersOwnFiles() {
        for (String ok : List.of("agent.yaml", "conf.d/agent.yaml", "Agent-1.properties")) {
            assertThat(HostFields.templateTarget(ok)).as(ok).isNull();
        }
        for (String bad : List.of(
                "../x",
                "/etc/x",
                "a/../../x",
                "a\\b",
                "C:x",
                "./x",
                "a//b",
                "token",
                "Proxy.env",
                "platform-ca.pem",
                "")) {
            assertThat(HostFields.templateTarget(bad)).as(bad).isNotNull();
        }
    }

    @Test
    void urlsHaveTheirSchemeAndAHostAndNeverCredentials() {
        assertThat(HostFields.url("https://api.example/v1", Set.of("https"))).isNull();
        assertThat(HostFields.url("https://u:p@api.example", Set.of("https")))
                .isEqualTo("credentials in the URL are refused");
        assertThat(HostFields.url("http://api.example", Set.of("https"))).contains("https://");
        assertThat(HostFields.url("https:///path", Set.of("https"))).isNotNull();
        assertThat(HostFields.healthPath("/health?x=1")).isNull();
        assertThat(HostFields.healthPath("/health HTTP/1.1")).isNotNull();
        assertThat(HostFields.healthPath("health")).isNotNull();
    }
}
