package dev.ferry.installer.selftest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.ferry.installer.check.Cause;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trust of the TLS probes is read when a handshake first needs it: a check that cannot even connect (the
 * preflight's clock reading of an unreachable platform) does not pay for reading the JDK's CAs and the caFile.
 */
class TrustMaterialTest {
    @TempDir
    Path dir;

    private static final Peer PLATFORM = Peer.platform("platform.example", 443);

    @Test
    void theCaFileIsReadWhenTheFirstHandshakeNeedsItNotBefore() throws Exception {
        Path caFile = dir.resolve("platform-ca.pem");
        TrustMaterial trust = TrustMaterial.of(caFile);
        // Written after (empty): read earlier, the file would have been missing, a different refusal.
        Files.writeString(caFile, "");

        ProbeFailure refused = catchThrowableOfType(() -> trust.pkix(PLATFORM), ProbeFailure.class);

        assertThat(refused.cause).isEqualTo(Cause.TLS_UNTRUSTED);
        assertThat(refused.evidence).isEqualTo("platform.caFile " + caFile + " holds no certificate");
    }

    @Test
    void withoutACaFileTheJdksAuthoritiesAreTrustedAndReadOnce() throws Exception {
        TrustMaterial trust = TrustMaterial.of(null);

        assertThat(trust.pkix(PLATFORM).getAcceptedIssuers()).isNotEmpty();
        assertThat(trust.pkix(PLATFORM)).isSameAs(trust.pkix(PLATFORM));
    }
}
