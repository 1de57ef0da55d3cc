package dev.ferry.bundle;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Decodes a small built-in manifest on a background thread, so that what decoding a bundle's manifest needs (Jackson's
 * tree reader, the profile's bindings, the manifest rules) is loaded, initialised and partly compiled while the
 * installer parses its command line, takes the host lock, opens the bundle and checks its signatures. Cold, that
 * costs about 0.1 s, and the real decoding sits between the signature check and the first payload byte, where nothing
 * else can run. Harmless if it has not finished: class initialisation waits. Only a head start: nothing it decodes is
 * used.
 *
 * <p>Measured and left out: checking a sample Ed25519 signature too. Its cold start then ran beside the real signature
 * check instead of ahead of it, and the first payload byte came later, not sooner.
 */
public final class ManifestWarmUp {
    /** Valid by every rule (ManifestWarmUpTest), with a runtime file and a sealed token like a real bundle. */
    static final String MANIFEST = """
            {"format":"ferry-bundle/1","name":"warm-up","version":"1.0.0","sequence":1,\
            "createdAt":"2026-01-01T00:00:00Z","expiresAt":"2026-04-01T00:00:00Z",\
            "profile":{"name":"warm-up","agent":{"name":"warm-up","version":"1.0.0","runtime":"payload/runtime",\
            "exec":["{{installDir}}/runtime/bin/agent"]},"service":{"name":"warm-up"},\
            "platform":{"endpoint":"https://127.0.0.1:9/"},\
            "prerequisites":{"os":["linux"],"requireAdmin":false,"minFreeDiskMb":1}},\
            "token":{"id":"warm-up","notBefore":"2026-01-01T00:00:00Z","notAfter":"2026-02-01T00:00:00Z",\
            "path":"payload/secrets/token"},\
            "files":[{"path":"payload/runtime/bin/agent","size":1,\
            "sha256":"0000000000000000000000000000000000000000000000000000000000000000","mode":"0755"},\
            {"path":"payload/secrets/binding-key","mode":"0600","secret":{"kdf":"binding-key"}},\
            {"path":"payload/secrets/token","mode":"0600","secret":{"kdf":"hmac-sha256",\
            "hash":"0000000000000000000000000000000000000000000000000000000000000000"}}]}""";

    private static final AtomicBoolean STARTED = new AtomicBoolean();

    private ManifestWarmUp() {}

    /** Starts the warm-up on a daemon thread of low priority, once per process, and returns at once. */
    public static void startInBackground() {
        if (!STARTED.compareAndSet(false, true)) {
            return;
        }
        Thread warmUp = new Thread(
                () -> {
                    try {
                        run();
                    } catch (RuntimeException ignored) {
                        // Only a head start: a real manifest meets (and reports) its own problems.
                    }
                },
                "ferry-manifest-warm-up");
        warmUp.setDaemon(true);
        warmUp.setPriority(Thread.MIN_PRIORITY);
        warmUp.start();
    }

    /** The sample, decoded and checked by every rule (ManifestWarmUpTest: it passes them all). */
    static Manifest run() {
        return ManifestCodec.decode(MANIFEST.getBytes(StandardCharsets.UTF_8), "warm-up");
    }
}
