package dev.ferry.installer.testpeers;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Test CAs and server certificates (EC P-256), made with Bouncy Castle; test scope only. */
public final class TestPki {
    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

    private TestPki() {}

    /** A certificate authority that can issue server certificates. */
    public record Ca(String dn, KeyPair keys, X509Certificate cert) {
        public static Ca create(String dn) {
            KeyPair keys = newKeys();
            Instant now = Instant.now();
            X509Certificate cert = sign(
                    new X500Principal(dn),
                    new X500Principal(dn),
                    keys,
                    keys,
                    now.minus(Duration.ofDays(1)),
                    now.plus(Duration.ofDays(30)),
                    true,
                    List.of(),
                    List.of());
            return new Ca(dn, keys, cert);
        }

        /** A server certificate valid from yesterday for 30 days, for the DNS names and IPs given. */
        public Server issue(String cn, List<String> dnsNames, List<String> ips) {
            Instant now = Instant.now();
            return issue(cn, dnsNames, ips, now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(30)));
        }

        public Server issue(String cn, List<String> dnsNames, List<String> ips, Instant notBefore, Instant notAfter) {
            KeyPair serverKeys = newKeys();
            X509Certificate leaf = sign(
                    new X500Principal(dn),
                    new X500Principal("CN=" + cn),
                    keys,
                    serverKeys,
                    notBefore,
                    notAfter,
                    false,
                    dnsNames,
                    ips);
            return new Server(serverKeys, List.of(leaf, cert));
        }

        public Path writePem(Path file) {
            return TestPki.writePem(file, cert);
        }
    }

    /** A server's key and chain (leaf first). */
    public record Server(KeyPair keys, List<X509Certificate> chain) {
        public SSLContext sslContext() {
            try {
                KeyStore store = KeyStore.getInstance("PKCS12");
                store.load(null, null);
                store.setKeyEntry("server", keys.getPrivate(), new char[0], chain.toArray(new X509Certificate[0]));
                KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(store, new char[0]);
                SSLContext context = SSLContext.getInstance("TLS");
                context.init(kmf.getKeyManagers(), null, null);
                return context;
            } catch (GeneralSecurityException | IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    public static Path writePem(Path file, X509Certificate cert) {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter pem = new JcaPEMWriter(text)) {
            pem.writeObject(cert);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            return Files.writeString(file, text.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static KeyPair newKeys() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static X509Certificate sign(
            X500Principal issuer,
            X500Principal subject,
            KeyPair issuerKeys,
            KeyPair subjectKeys,
            Instant notBefore,
            Instant notAfter,
            boolean ca,
            List<String> dnsNames,
            List<String> ips) {
        try {
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(
                    issuer,
                    BigInteger.valueOf(SERIAL.incrementAndGet()),
                    Date.from(notBefore),
                    Date.from(notAfter),
                    subject,
                    subjectKeys.getPublic());
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
            b.addExtension(
                    Extension.keyUsage,
                    true,
                    ca
                            ? new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign)
                            : new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
            List<GeneralName> names = new ArrayList<>();
            dnsNames.forEach(n -> names.add(new GeneralName(GeneralName.dNSName, n)));
            ips.forEach(ip -> names.add(new GeneralName(GeneralName.iPAddress, ip)));
            if (!names.isEmpty()) {
                b.addExtension(
                        Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(new GeneralName[0])));
            }
            return new JcaX509CertificateConverter()
                    .getCertificate(
                            b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKeys.getPrivate())));
        } catch (IOException | GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException(e);
        }
    }
}
