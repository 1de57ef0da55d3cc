package dev.ferry.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.bundle.BundleHeads;
import dev.ferry.bundle.CarriedTrust;
import dev.ferry.bundle.dsse.Envelope;
import dev.ferry.bundle.trust.Role;
import dev.ferry.bundle.trust.SignedTrust;
import dev.ferry.bundle.trust.TrustDocument;
import dev.ferry.installer.transaction.CrashPoints;
import dev.ferry.keys.KeyFiles;
import dev.ferry.keys.KeyId;
import dev.ferry.keys.PublicKeys;
import dev.ferry.keys.SigningKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SPEC section 10 on a host, through {@code bin/installer} and {@code bin/bundler} as processes: pinning a chain,
 * bundles needing two release keys ({@code bundler sign} adds the second), trust carried in a bundle and kept even
 * when the bundle then fails, revoked keys and tokens (install, register, status, preflight), an expired chain that
 * refuses bundles but takes a newer version, {@code kill -9} while a version is written, and diagnose.
 */
@Tag("slow")
class TrustEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path work;

    /** Root key R, release keys A (the fixture's), B and C; B and C also as private-key files for bundler sign. */
    private final class Ceremony {
        final InstallerFixture host;
        final SigningKey root = InstallerFixture.newKey();
        final SigningKey b;
        final SigningKey c;
        final Path bKeyFile;
        final Path cKeyFile;

        Ceremony(InstallerFixture host) {
            this.host = host;
            this.b = KeyFiles.generate("release-b", host.work.resolve("keys-b"), null);
            this.bKeyFile = host.work.resolve("keys-b/release-b.key.pem");
            this.c = KeyFiles.generate("release-c", host.work.resolve("keys-c"), null);
            this.cKeyFile = host.work.resolve("keys-c/release-c.key.pem");
        }

        Path version(long v, Instant expires, Set<String> revokedKeys, Set<String> revokedTokens) throws IOException {
            Map<String, PublicKey> release = new TreeMap<>(
                    Map.of(host.key.keyId(), host.key.publicKey(), b.keyId(), b.publicKey(), c.keyId(), c.publicKey()));
            TrustDocument doc = new TrustDocument(
                    v,
                    expires,
                    new Role(1, Map.of(root.keyId(), root.publicKey())),
                    new Role(2, release),
                    revokedKeys,
                    revokedTokens);
            SignedTrust unsigned = SignedTrust.unsigned(doc, v + ".trust.json");
            Envelope signed = unsigned.envelope().signedBy(root);
            Path file = host.work.resolve("trust/" + v + ".trust.json");
            Files.createDirectories(file.getParent());
            Files.write(file, unsigned.withEnvelope(signed).bytes());
            return file;
        }

        Path version(long v) throws IOException {
            return version(v, Instant.now().plus(Duration.ofDays(365)), Set.of(), Set.of());
        }

        /** A fixture bundle signed by A, then by B through bin/bundler sign. */
        Path twoSignatures(InstallerFixture.BundleOptions options) {
            return signedByAAnd(bKeyFile, options);
        }

        /** A fixture bundle signed by A, then by the release key in {@code keyFile} through bin/bundler sign. */
        Path signedByAAnd(Path keyFile, InstallerFixture.BundleOptions options) {
            Path bundle = host.bundle(options);
            Programs.Run sign = Programs.bundler("sign", bundle.toString(), "--key", keyFile.toString());
            assertThat(sign.exitCode()).as(sign.toString()).isZero();
            return bundle;
        }
    }

    private static JsonNode json(Programs.Run run) throws IOException {
        assertThat(run.exitCode()).as(run.toString()).isZero();
        return JSON.readTree(run.stdout());
    }

    private static void carry(Path bundle, Path... versions) throws IOException {
        List<CarriedTrust> carried = new ArrayList<>();
        for (Path v : versions) {
            SignedTrust doc = SignedTrust.read(v);
            carried.add(new CarriedTrust(doc.version(), doc.bytes()));
        }
        BundleHeads.carry(bundle, carried);
    }

    @Test
    void aPinnedChainNeedsTwoReleaseKeysAndKeepsWhatBundlesCarry() throws Exception {
        try (InstallerFixture host = new InstallerFixture(work, "process")) {
            Ceremony c = new Ceremony(host);
            assertThat(host.installer("trust", "init", "--file", c.version(1).toString())
                            .exitCode())
                    .isZero();
            assertThat(json(host.installer("trust", "show", "--json"))
                            .get("version")
                            .asLong())
                    .isEqualTo(1);

            Path oneSignature = host.bundle(InstallerFixture.BundleOptions.of("1.0.0", 1));
            Programs.Run refused = host.installer("install", "--bundle", oneSignature.toString());
            assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(3);
            assertThat(refused.stderr())
                    .contains("is not signed by 2 release key(s) of trust version 1: 1 of 2 counted");
            assertThat(host.tree("opt")).isEmpty();

            Path bundle = c.twoSignatures(InstallerFixture.BundleOptions.of("1.0.0", 1));
            Programs.Run withTrust = host.install(bundle);
            assertThat(withTrust.exitCode()).as(withTrust.toString()).isEqualTo(2);
            assertThat(withTrust.stderr())
                    .contains("--trust is not used here: this host pins a trust chain (version 1");
            Programs.Run installed = host.installer("install", "--bundle", bundle.toString());
            assertThat(installed.exitCode()).as(installed.toString()).isZero();
            assertThat(json(host.installer("status", "--json"))
                            .at("/trust/version")
                            .asLong())
                    .isEqualTo(1);

            // Version 2 revokes B. Verify judges a bundle carrying it in memory; install keeps it, then refuses the
            // bundle.
            Path v2 = c.version(2, Instant.now().plus(Duration.ofDays(365)), Set.of(c.b.keyId()), Set.of());
            Path upgrade = c.twoSignatures(InstallerFixture.BundleOptions.of("1.1.0", 2));
            carry(upgrade, c.version(1), v2);
            Programs.Run verify = host.installer("verify", "--bundle", upgrade.toString());
            assertThat(verify.exitCode()).as(verify.toString()).isEqualTo(3);
            assertThat(verify.stderr()).contains("of trust version 2: 1 of 2 counted");
            assertThat(json(host.installer("trust", "show", "--json"))
                            .get("version")
                            .asLong())
                    .as("verify writes nothing")
                    .isEqualTo(1);
            Programs.Run revoked = host.installer("install", "--bundle", upgrade.toString());
            assertThat(revoked.exitCode()).as(revoked.toString()).isEqualTo(3);
            assertThat(revoked.stderr()).contains("revoked in this version: " + c.b.keyId());
            assertThat(json(host.installer("trust", "show", "--json"))
                            .get("version")
                            .asLong())
                    .as("the revocation sticks")
                    .isEqualTo(2);
            assertThat(host.root.resolve("etc/ferry/trust/2.trust.json")).hasBinaryContent(Files.readAllBytes(v2));
            Programs.Run again = host.installer("trust", "update", "--file", v2.toString());
            assertThat(again.exitCode()).isEqualTo(6);
            assertThat(again.stderr()).contains("trust version 2 is already in force (a repeat)");
            Programs.Run gap =
                    host.installer("trust", "update", "--file", c.version(4).toString());
            assertThat(gap.exitCode()).isEqualTo(3);
            assertThat(gap.stderr()).contains("does not follow version 2");

            // Version 3 revokes the installed token (jti tok-1): status and preflight name it; register refuses it.
            Path v3 = c.version(3, Instant.now().plus(Duration.ofDays(365)), Set.of(c.b.keyId()), Set.of("tok-1"));
            assertThat(host.installer("trust", "update", "--file", v3.toString())
                            .exitCode())
                    .isZero();
            Programs.Run status = host.installer("status");
            assertThat(status.stdout())
                    .contains("trust:            version 3")
                    .contains("token tok-1 is REVOKED by trust version 3");
            // A bundle A and C signed (token tok-1 again) still meets the threshold: preflight names the revoked token.
            Path stillTrusted = c.signedByAAnd(c.cKeyFile, InstallerFixture.BundleOptions.of("1.2.0", 1));
            Programs.Run preflight = host.installer("preflight", "--bundle", stillTrusted.toString(), "--json");
            assertThat(preflight.stdout()).as(preflight.toString()).contains("token-revoked");
            // The first bundle's B signature no longer counts: preflight acts on nothing it says (exit 3).
            Programs.Run untrusted = host.installer("preflight", "--bundle", bundle.toString(), "--json");
            assertThat(untrusted.exitCode()).as(untrusted.toString()).isEqualTo(3);
            assertThat(untrusted.stdout()).contains("threshold-not-met");
            Path token = work.resolve("tok-1.jwt");
            Files.writeString(
                    token,
                    InstallerFixture.jwt(
                            "tok-1",
                            Instant.now().minusSeconds(60),
                            Instant.now().plus(Duration.ofDays(9))));
            Programs.Run register = host.installer("register", "--token", token.toString());
            assertThat(register.exitCode()).as(register.toString()).isEqualTo(6);
            assertThat(register.stderr())
                    .contains("token tok-1 is revoked by trust version 3")
                    .doesNotContain(Files.readString(token));
            Programs.Run reinstall = host.installer("reinstall", "--bundle", bundle.toString());
            assertThat(reinstall.exitCode()).as(reinstall.toString()).isIn(3, 6);

            // diagnose carries the trust status and never a token
            Path archive = work.resolve("support.tar.gz");
            assertThat(host.installer("diagnose", "--out", archive.toString()).exitCode())
                    .isZero();
            Programs.Run listing = Programs.run(Map.of(), "sh", "-c", "tar -xzOf \"$1\"", "sh", archive.toString());
            assertThat(listing.stdout())
                    .contains("\"trust\"")
                    .contains("\"trustShow\"")
                    .contains("\"version\" : 3")
                    .doesNotContain(Files.readString(token))
                    .doesNotContain("BEGIN PRIVATE KEY");
        }
    }

    @Test
    void anExpiredChainRefusesBundlesButTakesANewerVersion() throws Exception {
        try (InstallerFixture host = new InstallerFixture(work, "none")) {
            Ceremony c = new Ceremony(host);
            Instant expires = Instant.now().plus(Duration.ofDays(10));
            assertThat(host.installer(
                                    "trust",
                                    "init",
                                    "--file",
                                    c.version(1, expires, Set.of(), Set.of()).toString())
                            .exitCode())
                    .isZero();
            Map<String, String> later =
                    Map.of("FERRY_TEST_NOW", expires.plus(Duration.ofDays(1)).toString());
            Path bundle = c.twoSignatures(InstallerFixture.BundleOptions.of("1.0.0", 1));
            Programs.Run refused = host.installerWithEnv(later, "verify", "--bundle", bundle.toString());
            assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(6);
            assertThat(refused.stderr())
                    .contains("trust version 1 in force on this host expired on")
                    .contains("carry a newer trust document");
            Programs.Run renewed = host.installerWithEnv(
                    later,
                    "trust",
                    "update",
                    "--file",
                    c.version(2, expires.plus(Duration.ofDays(365)), Set.of(), Set.of())
                            .toString());
            assertThat(renewed.exitCode()).as(renewed.toString()).isZero();
            assertThat(host.installerWithEnv(later, "verify", "--bundle", bundle.toString())
                            .exitCode())
                    .isZero();
        }
    }

    @Test
    void killMinus9WhileATrustVersionIsWrittenLeavesTheOldOrTheNew() throws Exception {
        for (String point : List.of(CrashPoints.TRUST_BEFORE_WRITE, CrashPoints.TRUST_AFTER_WRITE)) {
            Path dir = Files.createDirectories(work.resolve(point));
            try (InstallerFixture host = new InstallerFixture(dir, "none")) {
                Ceremony c = new Ceremony(host);
                assertThat(host.installer(
                                        "trust", "init", "--file", c.version(1).toString())
                                .exitCode())
                        .isZero();
                Path v2 = c.version(2);
                Programs.Run killed = host.installerWithEnv(
                        Map.of("FERRY_TEST_CRASH_AT", point), "trust", "update", "--file", v2.toString());
                assertThat(killed.exitCode()).as(point + ": " + killed).isEqualTo(137);
                long after = json(host.installer("trust", "show", "--json"))
                        .get("version")
                        .asLong();
                assertThat(after).as(point).isEqualTo(point.equals(CrashPoints.TRUST_BEFORE_WRITE) ? 1 : 2);
                try (Stream<Path> files = Files.list(host.root.resolve("etc/ferry/trust"))) {
                    assertThat(files.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")))
                            .allMatch(n -> n.matches("[12]\\.trust\\.json"));
                }
                Programs.Run retry = host.installer("trust", "update", "--file", v2.toString());
                assertThat(retry.exitCode()).isEqualTo(after == 1 ? 0 : 6);
                assertThat(json(host.installer("trust", "show", "--json"))
                                .get("version")
                                .asLong())
                        .isEqualTo(2);
            }
        }
    }

    @Test
    void aSoftHsmKeySignsTrustDocumentsAndBundles() throws Exception {
        Path hsm = Files.createDirectories(work.resolve("hsm"));
        Files.createDirectories(hsm.resolve("tokens"));
        Files.writeString(
                hsm.resolve("softhsm2.conf"),
                "directories.tokendir = " + hsm.resolve("tokens")
                        + "\nobjectstore.backend = file\nlog.level = ERROR\n");
        Files.writeString(hsm.resolve("pin"), "4711\n");
        Map<String, String> env = Map.of(
                "SOFTHSM2_CONF",
                hsm.resolve("softhsm2.conf").toString(),
                "FERRY_PKCS11_PIN_FILE",
                hsm.resolve("pin").toString());
        ok(Programs.run(
                env,
                "softhsm2-util",
                "--init-token",
                "--free",
                "--label",
                "ferry",
                "--pin",
                "4711",
                "--so-pin",
                "8642"));
        ok(Programs.run(
                env,
                "pkcs11-tool",
                "--module",
                "/usr/lib/softhsm/libsofthsm2.so",
                "--token-label",
                "ferry",
                "--login",
                "--pin",
                "4711",
                "--keypairgen",
                "--key-type",
                "EC:edwards25519",
                "--id",
                "01",
                "--label",
                "release-hsm"));
        String signer = Programs.REPO.resolve("integrations/pkcs11/ferry-pkcs11-sign.py") + " --label release-hsm";
        Path pub = hsm.resolve("release-hsm.pub.pem");
        Files.writeString(
                pub, ok(Programs.run(env, "sh", "-c", signer + " --pub")).stdout());
        PublicKey hsmKey = PublicKeys.read(pub);

        try (InstallerFixture host = new InstallerFixture(work.resolve("host"), "none")) {
            Ceremony c = new Ceremony(host);
            // Version 1 whose one root key lives in the token, signed through the token.
            TrustDocument doc = new TrustDocument(
                    1,
                    Instant.now().plus(Duration.ofDays(30)),
                    new Role(1, Map.of(KeyId.of(hsmKey), hsmKey)),
                    new Role(2, Map.of(host.key.keyId(), host.key.publicKey(), c.b.keyId(), c.b.publicKey())),
                    Set.of(),
                    Set.of());
            Path v1 = work.resolve("1.trust.json");
            Files.write(v1, SignedTrust.unsigned(doc, "1.trust.json").bytes());
            ok(Programs.run(
                    env,
                    Programs.REPO.resolve("bin/bundler").toString(),
                    "trust",
                    "sign",
                    v1.toString(),
                    "--sign-command",
                    signer,
                    "--sign-pub",
                    pub.toString()));
            assertThat(host.installer("trust", "init", "--file", v1.toString()).exitCode())
                    .isZero();

            // A bundle: A signs at build time, the token adds B's place... here the token signs as a third, unnamed key
            // (it does not count), then B signs with its file: the threshold is met by A and B.
            Path bundle = host.bundle(InstallerFixture.BundleOptions.of("1.0.0", 1));
            ok(Programs.run(
                    env,
                    Programs.REPO.resolve("bin/bundler").toString(),
                    "sign",
                    bundle.toString(),
                    "--sign-command",
                    signer,
                    "--sign-pub",
                    pub.toString()));
            Programs.Run short1 = host.installer("verify", "--bundle", bundle.toString());
            assertThat(short1.exitCode()).isEqualTo(3);
            assertThat(short1.stderr()).contains(KeyId.of(hsmKey) + " (by a key not named here)");
            ok(Programs.bundler("sign", bundle.toString(), "--key", c.bKeyFile.toString()));
            assertThat(host.installer("verify", "--bundle", bundle.toString()).exitCode())
                    .isZero();

            // The token's signature over the manifest verifies with stock openssl.
            Path x = Files.createDirectories(work.resolve("x"));
            ok(Programs.run(
                    Map.of(), "sh", "-c", "zstd -dc \"$1\" | tar -x -C \"$2\"", "sh", bundle.toString(), x.toString()));
            Programs.Run openssl = Programs.run(
                    Map.of(),
                    x,
                    "openssl",
                    "pkeyutl",
                    "-verify",
                    "-pubin",
                    "-inkey",
                    pub.toString(),
                    "-rawin",
                    "-in",
                    "manifest.json",
                    "-sigfile",
                    "signatures/" + KeyId.of(hsmKey) + ".sig");
            assertThat(openssl.stdout()).contains("Signature Verified Successfully");
        }
    }

    private static Programs.Run ok(Programs.Run run) {
        assertThat(run.exitCode()).as(run.toString()).isZero();
        return run;
    }
}
