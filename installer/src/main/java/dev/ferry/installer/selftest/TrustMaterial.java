package dev.ferry.installer.selftest;

import dev.ferry.installer.check.Cause;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * What the TLS probes trust: the JDK's default CAs plus every certificate in {@code platform.caFile}. Loaded once
 * per run; a caFile that cannot be read is reported by the checks that need it, not thrown.
 */
final class TrustMaterial {
    private final Path caFile;
    private final X509ExtendedTrustManager pkix;
    private final String problem;

    private TrustMaterial(Path caFile, X509ExtendedTrustManager pkix, String problem) {
        this.caFile = caFile;
        this.pkix = pkix;
        this.problem = problem;
    }

    static TrustMaterial load(Path caFile) {
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (X509Certificate ca : pkixOf(null).getAcceptedIssuers()) {
                store.setCertificateEntry("jdk-" + i++, ca);
            }
            if (caFile != null) {
                Collection<? extends Certificate> certs;
                try (InputStream in = Files.newInputStream(caFile)) {
                    certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
                }
                if (certs.isEmpty()) {
                    return new TrustMaterial(caFile, null, "platform.caFile " + caFile + " holds no certificate");
                }
                for (Certificate c : certs) {
                    store.setCertificateEntry("cafile-" + i++, c);
                }
            }
            return new TrustMaterial(caFile, pkixOf(store), null);
        } catch (IOException | GeneralSecurityException e) {
            return new TrustMaterial(
                    caFile, null, "cannot read platform.caFile " + caFile + ": " + Failures.message(e));
        }
    }

    private static X509ExtendedTrustManager pkixOf(KeyStore store) throws GeneralSecurityException {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(store);
        for (TrustManager tm : tmf.getTrustManagers()) {
            if (tm instanceof X509ExtendedTrustManager x) {
                return x;
            }
        }
        throw new GeneralSecurityException("no X509 trust manager in the JDK");
    }

    boolean hasCaFile() {
        return caFile != null;
    }

    Path caFile() {
        return caFile;
    }

    /** The PKIX trust manager, or a failure naming the unreadable caFile. */
    X509ExtendedTrustManager pkix(Peer peer) throws ProbeFailure {
        if (pkix == null) {
            throw new ProbeFailure(
                    Stage.TLS,
                    Cause.TLS_UNTRUSTED,
                    problem,
                    "restore the CA file (PEM) named by platform.caFile, readable by the installer");
        }
        return pkix;
    }
}
