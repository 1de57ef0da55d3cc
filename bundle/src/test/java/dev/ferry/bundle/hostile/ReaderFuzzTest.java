package dev.ferry.bundle.hostile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.sun.management.ThreadMXBean;
import dev.ferry.bundle.BundleLayout;
import dev.ferry.bundle.BundleVerifier;
import dev.ferry.bundle.FileEntry;
import dev.ferry.bundle.PayloadSink;
import dev.ferry.bundle.VerifiedBundle;
import dev.ferry.bundle.testing.RawBundleWriter;
import dev.ferry.bundle.testing.TestBundles;
import dev.ferry.bundle.testing.TestKeys;
import dev.ferry.common.ExitCode;
import dev.ferry.common.FerryException;
import dev.ferry.keys.SigningKey;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipEncodingHelper;

/**
 * Fuzzes the reader: random mutations of a valid bundle, in the compressed file, in the decompressed tar (then
 * recompressed and re-signed, so the signature passes and the tar checks must hold alone), or in the manifest
 * (re-signed). Whatever the mutation, the verifier either returns the original content (of one of the two genuine
 * bundles that splices draw from, whole), or refuses with exit 3 or
 * 6; never another exception (exit 1 is a bug), never a hang, never an allocation that grows with the input.
 *
 * <p>Tries: 200 by default (a few seconds, CI); {@code -Dferry.fuzz.tries=100000} for a long run (see README).
 */
class ReaderFuzzTest {
    enum Target {
        COMPRESSED,
        TAR_RESIGNED,
        MANIFEST_RESIGNED
    }

    private static final Clock NOW = Clock.fixed(TestBundles.CREATED_AT.plus(Duration.ofDays(1)), ZoneOffset.UTC);
    private static final Duration PER_TRY = Duration.ofSeconds(10);
    /** The manifest may claim up to 4 MiB before it is refused; everything else is fixed-size buffers. */
    private static final long MAX_ALLOCATED_PER_TRY = 24L << 20;

    private static Path dir;
    private static SigningKey key;
    private static Original a;
    private static Original b;
    private static ExecutorService worker;
    private static final AtomicInteger tries = new AtomicInteger();
    private static final AtomicInteger verified = new AtomicInteger();
    private static final AtomicLong maxAllocated = new AtomicLong();
    private static final Map<String, AtomicInteger> refusals = new ConcurrentHashMap<>();
    /** TAR_RESIGNED tries, and those whose mutated tar could be signed again (else it goes in with a stale signature). */
    private static final AtomicInteger tarTries = new AtomicInteger();

    private static final AtomicInteger tarResigned = new AtomicInteger();
    /** Tries carrying a valid signature (re-signed tar or manifest), and those whose verdict came after the signature. */
    private static final AtomicInteger signedTries = new AtomicInteger();

    private static final AtomicInteger pastSignature = new AtomicInteger();
    /** What the verifier says when it stops at the signature (BundleVerifier.trustedSigners). */
    private static final List<String> SIGNATURE_REFUSALS =
            List.of("does not match manifest.json", ": not signed:", "signed only by untrusted keys");
    /**
     * The re-signing targets exist to reach the checks behind the signature. Should re-signing break (a layout change
     * it does not follow), they would silently test the signature check again and again: so a quarter of the tar
     * mutations at least must be re-signed (about 60% are: a mutation in the first two headers cannot be), and half of
     * the signed tries at least must get a verdict behind the signature (nearly all do).
     */
    private static final double MIN_RESIGNED_SHARE = 0.25;

    private static final double MIN_PAST_SIGNATURE_SHARE = 0.5;

    /** A valid bundle's bytes at each level, and the content it must deliver. */
    record Original(
            byte[] file,
            byte[] tar,
            byte[] manifest,
            byte[] payloadTar,
            List<FileEntry> files,
            Map<String, String> digests) {}

    @BeforeContainer
    static void setUp() throws IOException {
        dir = Files.createTempDirectory("ferry-fuzz");
        key = TestKeys.generate();
        a = original("1.0.0", 1);
        b = original("2.0.0", 2);
        worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "fuzz-verify");
            t.setDaemon(true);
            return t;
        });
    }

    @AfterContainer
    static void tearDown() throws IOException {
        worker.shutdownNow();
        try (var all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
        System.out.printf(
                "reader fuzz: %d tries, %d verified with the original content, refusals %s, max allocated %d KiB per try;"
                        + " %d of %d tar mutations re-signed, %d of %d signed tries judged behind the signature%n",
                tries.get(),
                verified.get(),
                new TreeMap<>(refusals),
                maxAllocated.get() >> 10,
                tarResigned.get(),
                tarTries.get(),
                pastSignature.get(),
                signedTries.get());
        if (tarTries.get() < 20) {
            return; // a handful of tries (-Dferry.fuzz.tries=10) says nothing about shares; the default 200 do
        }
        assertThat(tarResigned.get())
                .as("tar mutations re-signed, of %d", tarTries.get())
                .isGreaterThanOrEqualTo((int) Math.ceil(tarTries.get() * MIN_RESIGNED_SHARE));
        assertThat(pastSignature.get())
                .as("signed tries judged behind the signature check, of %d", signedTries.get())
                .isGreaterThanOrEqualTo((int) Math.ceil(signedTries.get() * MIN_PAST_SIGNATURE_SHARE));
    }

    private static Original original(String version, long sequence) throws IOException {
        Random random = new Random(sequence);
        byte[] noise = new byte[24_000];
        for (int i = 0; i < noise.length; i++) {
            noise[i] = (byte) ('a' + random.nextInt(random.nextBoolean() ? 3 : 26));
        }
        Path path = TestBundles.bundle("agent", version)
                .sequence(sequence)
                .file("payload/runtime/VERSION", version + "\n", "0644")
                .file("payload/runtime/bin/agent", "#!/bin/sh\necho " + version + "\n", "0755")
                .file("payload/runtime/" + "deep/".repeat(25) + "lib.dat", noise, "0644")
                .file("payload/runtime/caf\u00e9.txt", "non-ASCII name, pax path\n", "0640")
                .signedBy(key)
                .writeTo(dir.resolve("original-" + version))
                .path();
        byte[] file = Files.readAllBytes(path);
        byte[] tar = RawBundleWriter.decompress(path);
        Map<String, String> digests = new LinkedHashMap<>();
        VerifiedBundle v = verifier().verify(path, digestingSink(digests));
        int headEnd = headEnd(tar);
        return new Original(
                file,
                tar,
                v.manifestBytes(),
                Arrays.copyOfRange(tar, headEnd, tar.length),
                v.manifest().files(),
                digests);
    }

    @Property(shrinking = net.jqwik.api.ShrinkingMode.BOUNDED, edgeCases = net.jqwik.api.EdgeCasesMode.MIXIN)
    void aMutatedBundleIsRefusedWithThreeOrSixOrDeliversTheOriginalContent(
            @ForAll Target target, @ForAll("mutations") List<Mutation> mutations) throws Exception {
        Path bundle = dir.resolve("fuzz.bundle.tar.zst");
        // The manifest our key signed for this try, when it signed one: a verified bundle may carry that one instead.
        byte[] signedManifest = null;
        switch (target) {
            case COMPRESSED -> Files.write(bundle, mutate(a.file(), b.file(), mutations));
            case TAR_RESIGNED -> {
                Resigned resigned = resign(mutate(a.tar(), b.tar(), mutations));
                signedManifest = resigned.manifest();
                tarTries.incrementAndGet();
                if (signedManifest != null) {
                    tarResigned.incrementAndGet();
                }
                RawBundleWriter.writeTar(resigned.tar(), bundle);
            }
            case MANIFEST_RESIGNED -> {
                signedManifest = mutate(a.manifest(), b.manifest(), mutations);
                RawBundleWriter.create()
                        .manifest(signedManifest)
                        .signature(key.keyId(), key.sign(signedManifest))
                        .bytes(a.payloadTar())
                        .writeTo(bundle);
            }
        }
        boolean signed = signedManifest != null;
        Result result = verifyWithin(bundle);
        tries.incrementAndGet();
        if (signed) {
            signedTries.incrementAndGet();
            String refusal = result.thrown() == null
                    ? ""
                    : String.valueOf(result.thrown().getMessage());
            if (SIGNATURE_REFUSALS.stream().noneMatch(refusal::contains)) {
                pastSignature.incrementAndGet();
            }
        }
        maxAllocated.accumulateAndGet(result.allocated(), Math::max);
        assertThat(result.allocated()).as("bytes allocated by one verification").isLessThan(MAX_ALLOCATED_PER_TRY);
        if (result.thrown() == null) {
            verified.incrementAndGet();
            // A splice may give back all of the other genuine bundle (also trusted): then it must be that one, whole.
            Original which = result.digests().equals(b.digests()) ? b : a;
            assertThat(result.digests()).as("content of a verified bundle").isEqualTo(which.digests());
            assertThat(result.bundle().manifest().files()).isEqualTo(which.files());
            // A re-signed manifest may differ from the original where the content does not depend on it (a profile
            // name): genuinely signed, it is the one delivered. A mutation left unsigned must give back the original.
            byte[] delivered = result.bundle().manifestBytes();
            if (signed && !Arrays.equals(delivered, which.manifest())) {
                assertThat(delivered).isEqualTo(signedManifest);
            } else {
                assertThat(delivered).isEqualTo(which.manifest());
            }
            return;
        }
        if (!(result.thrown() instanceof FerryException e)) {
            throw new AssertionError(
                    "not a FerryException (exit 1, a bug) for " + target + " " + mutations, result.thrown());
        }
        assertThat(e.exitCode()).as(e.getMessage()).isIn(ExitCode.VERIFICATION, ExitCode.VALIDITY);
        assertThat(e.getMessage()).doesNotContain("\n");
        refusals.computeIfAbsent(e.exitCode().code() + ":" + reason(e.getMessage()), k -> new AtomicInteger())
                .incrementAndGet();
    }

    @Provide
    Arbitrary<List<Mutation>> mutations() {
        Arbitrary<Mutation> one = Combinators.combine(
                        Arbitraries.of(Mutation.Kind.class),
                        Arbitraries.doubles().between(0, 1),
                        Arbitraries.doubles().between(0, 1),
                        Arbitraries.integers().between(0, 255))
                .as(Mutation::new);
        return one.list().ofMinSize(1).ofMaxSize(3);
    }

    private static byte[] mutate(byte[] input, byte[] other, List<Mutation> mutations) {
        byte[] out = input;
        for (Mutation m : mutations) {
            out = m.apply(out, other);
        }
        return out;
    }

    /**
     * If the mutated tar still starts with manifest.json and then our signature entry, signs the (possibly mutated)
     * manifest bytes again in place: the signature passes, and only the tar and manifest checks stand. Otherwise the
     * tar comes back as it was, with no signed manifest (counted: {@link #MIN_RESIGNED_SHARE}).
     */
    private static Resigned resign(byte[] tar) {
        Resigned unsigned = new Resigned(tar, null);
        try {
            TarArchiveEntry first =
                    new TarArchiveEntry(Arrays.copyOf(tar, 512), ZipEncodingHelper.getZipEncoding("UTF-8"), true);
            if (!first.getName().equals(BundleLayout.MANIFEST) || first.getSize() < 0 || first.getSize() > tar.length) {
                return unsigned;
            }
            int size = (int) first.getSize();
            int next = 512 + (size + 511) / 512 * 512;
            if (next + 512 + 64 > tar.length) {
                return unsigned;
            }
            TarArchiveEntry sig = new TarArchiveEntry(
                    Arrays.copyOfRange(tar, next, next + 512), ZipEncodingHelper.getZipEncoding("UTF-8"), true);
            if (!sig.getName().equals(BundleLayout.signaturePath(key.keyId())) || sig.getSize() != 64) {
                return unsigned;
            }
            byte[] manifest = Arrays.copyOfRange(tar, 512, 512 + size);
            byte[] out = tar.clone();
            System.arraycopy(key.sign(manifest), 0, out, next + 512, 64);
            return new Resigned(out, manifest);
        } catch (IllegalArgumentException | IOException e) {
            return unsigned; // the header itself is broken: nothing to re-sign
        }
    }

    /** A mutated tar, and the manifest bytes our key signed in it ({@code null} when it could not be re-signed). */
    record Resigned(byte[] tar, byte[] manifest) {}

    record Result(VerifiedBundle bundle, Map<String, String> digests, Throwable thrown, long allocated) {}

    private static Result verifyWithin(Path bundle) throws Exception {
        Future<Result> run = worker.submit(() -> {
            ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
            long before = threads.getCurrentThreadAllocatedBytes();
            Map<String, String> digests = new LinkedHashMap<>();
            VerifiedBundle v = null;
            Throwable thrown = null;
            try {
                v = verifier().verify(bundle, digestingSink(digests));
            } catch (Throwable t) {
                thrown = t;
            }
            return new Result(v, digests, thrown, threads.getCurrentThreadAllocatedBytes() - before);
        });
        try {
            return run.get(PER_TRY.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            run.cancel(true);
            return fail("verification did not end within " + PER_TRY);
        }
    }

    private static BundleVerifier verifier() {
        return new BundleVerifier(TestKeys.trust(key), NOW);
    }

    /** Keeps a SHA-256 per file, never the bytes: memory stays flat whatever a mutation declares. */
    private static PayloadSink digestingSink(Map<String, String> digests) {
        return (entry, content) -> {
            MessageDigest sha = sha256();
            byte[] buffer = new byte[8192];
            for (int n; (n = content.read(buffer)) >= 0; ) {
                sha.update(buffer, 0, n);
            }
            digests.put(entry.path(), HexFormat.of().formatHex(sha.digest()));
        };
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Where the head (manifest and signatures) ends in a genuine tar: the offset of the first payload header. */
    private static int headEnd(byte[] tar) {
        int at = 0;
        while (true) {
            String name = new String(tar, at, 100, StandardCharsets.UTF_8).replaceAll("\0.*", "");
            if (!name.equals(BundleLayout.MANIFEST) && !name.startsWith(BundleLayout.SIGNATURES)) {
                return at;
            }
            long size = Long.parseLong(new String(tar, at + 124, 11, StandardCharsets.US_ASCII).trim(), 8);
            at += 512 + (int) ((size + 511) / 512 * 512);
        }
    }

    private static String reason(String message) {
        String m = message.replaceAll("^[^:]*: ", "").replaceAll("'[^']*'", "X").replaceAll("\\d+", "N");
        return m.length() > 60 ? m.substring(0, 60) : m;
    }
}
