package dev.ferry.installer.selftest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.installer.transaction.HostileFieldVariants;
import org.junit.jupiter.api.Test;

/**
 * Issue 21, one validator: every hostile {@code prerequisites.ntpServers} entry the bundle verifier accepts is one the
 * clock check's parser reads as a host and a port from 1 to 65535 (else preflight would report it as a protocol
 * failure of the host, for a fault of the bundle).
 */
class NtpServerAgreementTest {
    @Test
    void whatTheVerifierAcceptsTheClockCheckParses() {
        HostileFieldVariants variants = new HostileFieldVariants(123);
        int accepted = 0;
        for (int i = 0; i < 1000; i++) {
            HostileFieldVariants.Accepted v = variants.next("prerequisites.ntpServers[0]");
            if (v == null) {
                continue;
            }
            accepted++;
            HostPort server = HostPort.parse(v.value(), SntpClient.DEFAULT_PORT);
            assertThat(server.host()).as(v.value()).isNotBlank();
            assertThat(server.port()).as(v.value()).isBetween(1, 65535);
        }
        assertThat(accepted).isGreaterThan(50);
    }
}
