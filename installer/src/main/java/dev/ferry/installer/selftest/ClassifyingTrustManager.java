package dev.ferry.installer.selftest;

import dev.ferry.installer.check.Cause;
import java.net.Socket;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Wraps the PKIX trust manager to keep the chain the server presented and to say why it was rejected: the chain
 * alone is validated first (expired, or an unknown issuer, which with a caFile in the profile means TLS inspection),
 * then the host name (the socket's endpoint identification, set to HTTPS by the probe). When it only records
 * ({@code enforcing} false: reading a server's clock), a rejected chain keeps its verdict but the handshake goes on.
 */
final class ClassifyingTrustManager extends X509ExtendedTrustManager {
    private final X509ExtendedTrustManager pkix;
    private final Peer peer;
    private final TrustMaterial trust;
    private final Clock clock;
    private final boolean enforcing;
    private volatile X509Certificate[] presented;
    private volatile ProbeFailure verdict;

    ClassifyingTrustManager(
            X509ExtendedTrustManager pkix, Peer peer, TrustMaterial trust, Clock clock, boolean enforcing) {
        this.pkix = pkix;
        this.enforcing = enforcing;
        this.clock = clock;
        this.peer = peer;
        this.trust = trust;
    }

    X509Certificate[] presented() {
        return presented;
    }

    ProbeFailure verdict() {
        return verdict;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        judge(chain, authType, () -> pkix.checkServerTrusted(chain, authType, socket));
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        judge(chain, authType, () -> pkix.checkServerTrusted(chain, authType, engine));
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        judge(chain, authType, () -> {});
    }

    /** The PKIX check that also looks at the host name (the socket's or engine's endpoint identification). */
    private interface HostNameCheck {
        void run() throws CertificateException;
    }

    /** The chain first, then the host name; a refusal is kept as the verdict and thrown unless only recording. */
    private void judge(X509Certificate[] chain, String authType, HostNameCheck hostName) throws CertificateException {
        presented = chain.clone();
        try {
            validateChain(chain, authType);
            try {
                hostName.run();
            } catch (CertificateException e) {
                verdict = mismatch(chain[0]);
                throw e;
            }
        } catch (CertificateException e) {
            if (enforcing) {
                throw e;
            }
        }
    }

    private void validateChain(X509Certificate[] chain, String authType) throws CertificateException {
        try {
            pkix.checkServerTrusted(chain, authType);
        } catch (CertificateException e) {
            verdict = isValidityProblem(e) ? expired(chain) : untrusted(chain);
            throw e;
        }
    }

    private static boolean isValidityProblem(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof CertificateExpiredException || t instanceof CertificateNotYetValidException) {
                return true;
            }
            if (t instanceof CertPathValidatorException v
                    && (v.getReason() == CertPathValidatorException.BasicReason.EXPIRED
                            || v.getReason() == CertPathValidatorException.BasicReason.NOT_YET_VALID)) {
                return true;
            }
        }
        return false;
    }

    private ProbeFailure expired(X509Certificate[] chain) {
        Date now = Date.from(clock.instant());
        for (X509Certificate c : chain) {
            if (c.getNotAfter().before(now)) {
                return new ProbeFailure(
                        Stage.TLS,
                        Cause.TLS_EXPIRED,
                        "the certificate " + subject(c) + " presented by " + peer.address() + " expired on "
                                + c.getNotAfter().toInstant(),
                        "renew the certificate of " + peer.host() + "; if that date is still ahead, sync this "
                                + "host's clock with NTP");
            }
            if (c.getNotBefore().after(now)) {
                return new ProbeFailure(
                        Stage.TLS,
                        Cause.TLS_EXPIRED,
                        "the certificate " + subject(c) + " presented by " + peer.address() + " is not valid before "
                                + c.getNotBefore().toInstant(),
                        "sync this host's clock with NTP (timedatectl set-ntp true); if the clock is right, "
                                + "fix the certificate of " + peer.host());
            }
        }
        return new ProbeFailure(
                Stage.TLS,
                Cause.TLS_EXPIRED,
                "a certificate presented by " + peer.address() + " is outside its validity period",
                "renew the certificate of " + peer.host() + " or sync this host's clock with NTP");
    }

    private ProbeFailure untrusted(X509Certificate[] chain) {
        X509Certificate top = chain[chain.length - 1];
        String issuer = top.getIssuerX500Principal().getName();
        String seen = "the certificate " + subject(chain[0]) + " from " + peer.address() + " chains to issuer '"
                + issuer + "'";
        if (trust.hasCaFile()) {
            return new ProbeFailure(
                    Stage.TLS,
                    Cause.TLS_INTERCEPTED,
                    seen + ", neither the CA in platform.caFile nor a JDK CA: TLS inspection",
                    "add the inspection CA '" + issuer + "' to platform.caFile, or exempt " + peer.host()
                            + " from TLS inspection on the inspection device");
        }
        return new ProbeFailure(
                Stage.TLS,
                Cause.TLS_UNTRUSTED,
                seen + ", which is not a trusted CA",
                "if a TLS-inspecting proxy sits in the path, set platform.caFile to its CA ('" + issuer
                        + "') or exempt " + peer.host() + " from inspection; otherwise the server's chain is wrong");
    }

    private ProbeFailure mismatch(X509Certificate leaf) {
        return new ProbeFailure(
                Stage.TLS,
                Cause.TLS_HOSTNAME_MISMATCH,
                "the certificate from " + peer.address() + " is for " + names(leaf) + ", not " + peer.host(),
                "use the host name the certificate names in the profile, or have the certificate of " + peer.host()
                        + " reissued with that name");
    }

    static String subject(X509Certificate c) {
        return "'" + c.getSubjectX500Principal().getName() + "'";
    }

    static String names(X509Certificate c) {
        List<String> names = new ArrayList<>();
        try {
            Collection<List<?>> sans = c.getSubjectAlternativeNames();
            if (sans != null) {
                for (List<?> san : sans) {
                    Object type = san.get(0);
                    if (Integer.valueOf(2).equals(type) || Integer.valueOf(7).equals(type)) {
                        names.add(String.valueOf(san.get(1)));
                    }
                }
            }
        } catch (CertificateException ignored) {
            // fall back to the subject below
        }
        return names.isEmpty() ? subject(c) : String.join(", ", names);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        throw new CertificateException("client certificates are not checked by the self-tests");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        throw new CertificateException("client certificates are not checked by the self-tests");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("client certificates are not checked by the self-tests");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return pkix.getAcceptedIssuers();
    }
}
