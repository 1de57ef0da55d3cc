package dev.ferry.bundle;

import com.github.luben.zstd.util.Native;
import dev.ferry.keys.TrustedKeys;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

/**
 * Run by {@link PureJavaReadingTest} in a JVM where zstd-jni's library cannot load: verifies the bundle in
 * {@code args[0]} against the public key in {@code args[1]} at the instant {@code args[2]}. Prints
 * {@code native=<loaded> sha256=<bundle sha256> files=<count>}.
 */
public final class PureJavaReadingChild {
    public static void main(String[] args) throws Exception {
        VerifiedBundle verified = new BundleVerifier(
                        TrustedKeys.load(List.of(Path.of(args[1])), List.of()),
                        Clock.fixed(Instant.parse(args[2]), ZoneOffset.UTC))
                .verify(Path.of(args[0]), PayloadSink.discard());
        System.out.println("native=" + Native.isLoaded() + " sha256=" + verified.sha256() + " files="
                + verified.manifest().files().size());
    }
}
