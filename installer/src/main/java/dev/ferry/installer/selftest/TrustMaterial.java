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
 * per run, when a handshake first needs it: reading the JDK's CAs costs ~50 ms of a cold start, which the preflight's
 * clock check paid even when it could not connect to the platform at all. A caFile that cannot be read is reported by
 * the checks that need it, not thrown.
 */
final class TrustMaterial {
    private final Path caFile;
    private Loaded loaded;

    /** The trust manager, or why there is none (a caFile that cannot be read). */
    private record Loaded(X509ExtendedTrustManager pkix, String problem) {}

    private TrustMaterial(Path caFile) {
        this.caFile = caFile;
    }

    /** @param caFile {@code platform.caFile}, or null: read when a handshake first needs the trust */
    static TrustMaterial of(Path caFile) {
        return new TrustMaterial(caFile);
    }

    private synchronized Loaded loaded() {
        if (loaded == null) {
            loaded = read(caFile);
        }
        return loaded;
    }

    private static Loaded read(Path caFile) {
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
                    return new Loaded(null, "platform.caFile " + caFile + " holds no certificate");
                }
                for (Certificate c : certs) {
                    store.setCertificateEntry("cafile-" + i++, c);
                }
            }
            return new Loaded(pkixOf(store), null);
        } catch (IOException | GeneralSecurityException e) {
            return new Loaded(null, "cannot read platform.caFile " + caFile + ": " + Failures.message(e));
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
        Loaded trust = loaded();
        if (trust.pkix() == null) {
            throw new ProbeFailure(
                    Stage.TLS,
                    Cause.TLS_UNTRUSTED,
                    trust.problem(),
                    "restore the CA file (PEM) named by platform.caFile, readable by the installer");
        }
        return trust.pkix();
    }
}
