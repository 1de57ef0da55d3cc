package dev.ferry.keys;

import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;

/** Ed25519 signatures over exact bytes (the raw 64-byte form that {@code openssl pkeyutl -rawin} reads). */
public final class Signatures {
    public static final int LENGTH = 64;
    /** Enough SHA-512 blocks (4 MiB) for the JIT to compile its loop with the CPU's SHA-512 instructions, if any. */
    private static final int WARM_UP_CHUNK = 1 << 20;

    private static final int WARM_UP_CHUNKS = 4;

    private Signatures() {}

    public static byte[] sign(PrivateKey key, byte[] data) {
        try {
            Signature signer = Signature.getInstance("Ed25519");
            signer.initSign(key);
            signer.update(data);
            return signer.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 signing failed: " + e.getMessage(), e);
        }
    }

    /**
     * Starts hashing a few megabytes with SHA-512 on a low-priority daemon thread, and returns at once. Ed25519 hashes
     * the whole message with SHA-512 (twice to sign), and the manifest of a runtime of ten thousand files is megabytes:
     * in a JVM that had not compiled SHA-512 yet, signing it took 70-100 ms of {@code create}'s critical path, against
     * about 30 ms after this ran on a spare core during the walk of the runtime folder (bench/NOTES.md).
     */
    public static void warmUpInBackground() {
        Thread warmUp = new Thread(
                () -> {
                    try {
                        MessageDigest sha512 = MessageDigest.getInstance("SHA-512");
                        byte[] chunk = new byte[WARM_UP_CHUNK];
                        for (int i = 0; i < WARM_UP_CHUNKS; i++) {
                            sha512.update(chunk);
                        }
                        sha512.digest();
                    } catch (NoSuchAlgorithmException e) {
                        // Only a head start: signing meets (and reports) the same problem.
                    }
                },
                "ferry-sha512-warm-up");
        warmUp.setDaemon(true);
        warmUp.setPriority(Thread.MIN_PRIORITY);
        warmUp.start();
    }

    /** False for a wrong, truncated or malformed signature; never throws for bad input. */
    public static boolean verify(PublicKey key, byte[] data, byte[] signature) {
        if (signature == null || signature.length != LENGTH) {
            return false;
        }
        try {
            Signature verifier = Signature.getInstance("Ed25519");
            verifier.initVerify(key);
            verifier.update(data);
            return verifier.verify(signature);
        } catch (InvalidKeyException | SignatureException e) {
            return false;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 is part of every JDK 15+", e);
        }
    }
}
