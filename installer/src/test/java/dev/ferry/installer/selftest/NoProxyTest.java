package dev.ferry.installer.selftest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class NoProxyTest {
    private final List<String> list = List.of(".corp.example", "intranet.local", "10.0.0.0/8", "fd00::/8", "192.0.2.7");

    @Test
    void suffixDomainsMatchTheDomainAndItsSubdomainsOnly() {
        assertThat(NoProxy.matches(list, "ldap.corp.example")).isTrue();
        assertThat(NoProxy.matches(list, "corp.example")).isTrue();
        assertThat(NoProxy.matches(list, "a.b.intranet.local")).isTrue();
        assertThat(NoProxy.matches(list, "notcorp.example")).isFalse();
        assertThat(NoProxy.matches(list, "api.certinext.example.com")).isFalse();
    }

    @Test
    void cidrsAndAddressesMatchIpLiteralsOnly() {
        assertThat(NoProxy.matches(list, "10.20.1.10")).isTrue();
        assertThat(NoProxy.matches(list, "11.0.0.1")).isFalse();
        assertThat(NoProxy.matches(list, "[fd12::1]")).isTrue();
        assertThat(NoProxy.matches(list, "192.0.2.7")).isTrue();
        assertThat(NoProxy.matches(list, "192.0.2.8")).isFalse();
        assertThat(NoProxy.matches(List.of("*"), "anything.example")).isTrue();
    }
}
