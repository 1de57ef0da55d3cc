package dev.ferry.bundle.dsse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.bundle.testing.TestKeys;
import dev.ferry.bundle.testing.TestKeys.TestKey;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SPEC section 10's interop promise: an envelope's signatures verify with stock {@code openssl pkeyutl -verify -rawin}
 * over PAE bytes that Python builds from the envelope's JSON, with none of Ferry's code in between.
 */
class DsseInteropTest {
    private static final String PAE_IN_PYTHON = String.join(
            "\n",
            "import base64, json, sys",
            "env = json.load(open(sys.argv[1]))",
            "t = env['payloadType'].encode()",
            "p = base64.b64decode(env['payload'])",
            "sys.stdout.buffer.write(b'DSSEv1 %d %s %d %s' % (len(t), t, len(p), p))",
            "for i, s in enumerate(env['signatures']):",
            "    open(sys.argv[2] + '/' + s['keyid'] + '.sig', 'wb').write(base64.b64decode(s['sig']))");

    @TempDir
    Path dir;

    @Test
    void opensslVerifiesEverySignatureOverPaeBuiltInPython() throws Exception {
        TestKey one = TestKeys.create(dir, "one");
        TestKey two = TestKeys.create(dir, "two");
        byte[] payload = "{\"format\":\"ferry-trust/1\",\"note\":\"naïve ✓\"}".getBytes(StandardCharsets.UTF_8);
        Envelope envelope = Envelope.unsigned("application/vnd.ferry.trust+json", payload)
                .signedBy(one.signingKey())
                .signedBy(two.signingKey());
        Path json = Files.write(dir.resolve("1.trust.json"), EnvelopeCodec.encode(envelope));
        Path sigs = Files.createDirectories(dir.resolve("sigs"));
        Files.writeString(dir.resolve("pae.py"), PAE_IN_PYTHON);
        run(
                "sh",
                "-c",
                "python3 \"$1\" \"$2\" \"$3\" > \"$3/pae\"",
                "sh",
                dir.resolve("pae.py").toString(),
                json.toString(),
                sigs.toString());

        for (TestKey key : List.of(one, two)) {
            String out = run(
                    "openssl",
                    "pkeyutl",
                    "-verify",
                    "-pubin",
                    "-inkey",
                    key.publicPem().toString(),
                    "-rawin",
                    "-in",
                    sigs.resolve("pae").toString(),
                    "-sigfile",
                    sigs.resolve(key.keyId() + ".sig").toString());
            assertThat(out).contains("Signature Verified Successfully");
        }
        // And a PAE of other bytes does not verify: openssl is really checking.
        Files.write(sigs.resolve("pae"), Pae.encode("application/vnd.in-toto+json", payload));
        Process p = new ProcessBuilder(
                        "openssl",
                        "pkeyutl",
                        "-verify",
                        "-pubin",
                        "-inkey",
                        one.publicPem().toString(),
                        "-rawin",
                        "-in",
                        sigs.resolve("pae").toString(),
                        "-sigfile",
                        sigs.resolve(one.keyId() + ".sig").toString())
                .redirectErrorStream(true)
                .start();
        p.getInputStream().readAllBytes();
        assertThat(p.waitFor()).isNotZero();
    }

    private String run(String... command) throws Exception {
        Process process = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(String.join(" ", command) + ": " + out).isZero();
        return out;
    }
}
